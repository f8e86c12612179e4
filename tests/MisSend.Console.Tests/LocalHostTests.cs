using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MisSend.Cli.Hosting;

namespace MisSend.Console.Tests;

/// <summary><c>detector run</c> serves the app's own HTTP functions, as functions.metadata declares them, through the app's classes.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LocalHostTests(ConsoleHost host)
{
    [Fact]
    public void Every_HTTP_function_in_functions_metadata_is_served_with_its_route_and_methods()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray()
            .SelectMany(f => f!["bindings"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "httpTrigger").Select(b => (
                Name: f["name"]!.GetValue<string>(),
                Route: b!["route"]!.GetValue<string>(),
                Methods: string.Join(",", b["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order()))))
            .OrderBy(f => f.Name)
            .ToList();

        var served = LocalFunctionHost.AppFunctions.Select(f => (f.Name, f.Route, Methods: string.Join(",", f.Methods.Order()))).OrderBy(f => f.Name).ToList();

        Assert.True(metadata.Count >= 14, $"{metadata.Count} HTTP functions in functions.metadata");
        Assert.Equal(metadata, served);
    }

    [Fact]
    public async Task The_functions_answer_over_HTTP_as_the_app_does_and_the_root_opens_the_console()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Address };

        var root = await http.GetAsync("/");
        var report = await http.GetAsync("/api/incidents/INC-000000000000/report");
        var open = await http.PostAsync("/api/incidents", new StringContent("{\"jobId\": ", Encoding.UTF8, "application/json"));
        var confirm = await http.GetAsync("/api/confirm?token=not-a-token");

        Assert.Equal((HttpStatusCode.Redirect, "/api/console"), (root.StatusCode, root.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.Equal("no incident 'INC-000000000000'", JsonNode.Parse(await report.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, open.StatusCode);
        Assert.StartsWith("invalid JSON", JsonNode.Parse(await open.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("<form method=\"post\"", await confirm.Content.ReadAsStringAsync());
    }

    [Fact]
    public void It_listens_on_loopback_only()
    {
        Assert.Equal(IPAddress.Loopback.ToString(), host.Address.Host);
        Assert.Contains($"Mis-send Detector running on {host.Address}", host.Output);
    }
}
