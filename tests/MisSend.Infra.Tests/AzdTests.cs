using System.Text.Json.Nodes;
using MisSend.Infra.Tests.Arm;

namespace MisSend.Infra.Tests;

public sealed class AzdTests
{
    [Fact]
    public void Azure_yaml_deploys_the_function_project_as_service_function()
    {
        var lines = File.ReadAllLines(Path.Combine(Infra.RepoRoot, "azure.yaml")).Select(l => l.TrimEnd()).ToList();
        var service = lines.FindIndex(l => l == "  function:");
        Assert.True(service > lines.IndexOf("services:"), "azure.yaml has no service named 'function'");
        var body = lines.Skip(service + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Contains("project: ./functions/MisSend.Functions", body);
        Assert.Contains("language: dotnet", body);
        Assert.Contains("host: function", body);
        Assert.True(File.Exists(Path.Combine(Infra.RepoRoot, "functions", "MisSend.Functions", "MisSend.Functions.csproj")));
    }

    [Fact]
    public void Parameters_file_feeds_every_required_parameter_from_the_azd_environment()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject();
        Assert.Equal("${AZURE_ENV_NAME}", file["environmentName"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", file["location"]?["value"]?.GetValue<string>());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", file["principalId"]?["value"]?.GetValue<string>());
        var declared = Infra.CompiledJson["parameters"]!.AsObject();
        Assert.All(file.Select(p => p.Key), name => Assert.True(declared.ContainsKey(name), $"{name} is not a parameter of main.bicep"));
        var required = declared.Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key);
        Assert.All(required, name => Assert.True(file.ContainsKey(name), $"required parameter {name} is missing from main.parameters.json"));
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_FUNCTION_NAME")]
    public void Outputs_what_azd_needs(string output) =>
        Assert.True(Infra.CompiledJson["outputs"]?[output] is not null, $"main.bicep has no output {output}");

    [Fact]
    public void Every_resource_is_tagged_with_the_environment_and_the_app_with_its_service()
    {
        var template = Infra.Template();
        var tagged = template.Resources.Where(r => r.Json.ContainsKey("location"));
        Assert.NotEmpty(tagged);
        Assert.All(tagged, r =>
        {
            var tags = Assert.IsType<Dictionary<string, object?>>(r.Get("tags"));
            Assert.Equal("test", tags["azd-env-name"]);
        });
        var siteTags = Assert.IsType<Dictionary<string, object?>>(FunctionAppTests.Site.Get("tags"));
        Assert.Equal("function", siteTags["azd-service-name"]);
        Assert.Single(template.Resources, r => r.Get("tags") is Dictionary<string, object?> t && t.ContainsKey("azd-service-name"));
    }

    [Fact]
    public void Names_come_from_the_resource_token_and_abbreviations()
    {
        var abbreviations = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "infra", "abbreviations.json")))!.AsObject();
        var template = Infra.Template();
        (string Type, string Key)[] expected =
        [
            ("Microsoft.Storage/storageAccounts", "storageStorageAccounts"),
            ("Microsoft.KeyVault/vaults", "keyVaultVaults"),
            ("Microsoft.Web/sites", "webSitesFunctions"),
            ("Microsoft.Web/serverfarms", "webServerFarms"),
            ("Microsoft.Insights/components", "insightsComponents"),
            ("Microsoft.OperationalInsights/workspaces", "operationalInsightsWorkspaces"),
            ("Microsoft.ManagedIdentity/userAssignedIdentities", "managedIdentityUserAssignedIdentities"),
        ];
        foreach (var (type, key) in expected)
        {
            var name = Assert.Single(template.OfType(type)).Name;
            Assert.StartsWith(abbreviations[key]!.GetValue<string>(), name);
            Assert.Contains("uniqueString(subscription().id, 'test', 'westeurope')", name);
        }
    }

    [Fact]
    public void Evaluator_keeps_unknowns_and_evaluates_plain_functions()
    {
        var scope = new ArmScope(new JsonObject { ["parameters"] = new JsonObject(), ["variables"] = new JsonObject { ["v"] = "x" } }, _ => (false, null), "");
        Assert.Equal("a-x-1", scope.EvaluateString("[format('a-{0}-{1}', variables('v'), length(createArray(1)))]", null));
        Assert.Equal(new Unknown("reference('r', '1').id"), scope.EvaluateString("[reference('r', '1').id]", null));
        Assert.Equal("[literal]", scope.EvaluateString("[[literal]", null));
        Assert.Equal(new Unknown("parameters('p')"), new ArmScope(new JsonObject { ["parameters"] = new JsonObject { ["p"] = new JsonObject() } }, _ => (false, null), "").Parameter("p"));
    }
}
