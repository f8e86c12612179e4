using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MisSend.Infra.Tests.Arm;

namespace MisSend.Infra.Tests;

/// <summary>Result of one run of the Bicep CLI.</summary>
public sealed record BicepRun(int ExitCode, string StdOut, string StdErr)
{
    public string Diagnostics => (StdOut + StdErr).Trim();
}

/// <summary>Paths and the compiled template, shared by all tests (built once per test run).</summary>
public static class Infra
{
    /// <summary>The top-level parameter values the tests deploy with (the rest take their defaults or stay unknown).</summary>
    public static readonly IReadOnlyDictionary<string, object?> TestParameters = new Dictionary<string, object?>
    {
        ["environmentName"] = "test",
        ["location"] = "westeurope",
        ["principalId"] = "",
        ["sendGridFromEmail"] = "alerts@example.com",
        ["noticeOrganization"] = "浦和レッズ シーズンチケット事務局",
        ["noticeContactEmail"] = "privacy@example.com",
        ["noticeContactPhone"] = "048-555-0123",
        ["noticeContactHoursJa"] = "平日 10:00〜17:00（土日祝日を除く）",
        ["noticeContactHoursEn"] = "weekdays 10:00–17:00 JST",
        ["noticeConfirmationPageUrl"] = "https://www.example.com/privacy/confirm",
        ["noticeNotMinePageUrl"] = "https://www.example.com/privacy/not-mine",
        ["entraClientId"] = EntraClientId,
    };

    public const string EntraClientId = "0f6b3c2a-4d1e-4a8b-9c7d-5e2f1a0b3c4d";

    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);
    private static readonly Lazy<(BicepRun Run, JsonObject? Json)> BuildLazy = new(BuildMain);

    public static string RepoRoot => RepoRootLazy.Value;

    public static string MainBicep => Path.Combine(RepoRoot, "infra", "main.bicep");

    public static BicepRun Build => BuildLazy.Value.Run;

    public static JsonObject CompiledJson =>
        BuildLazy.Value.Json ?? throw new InvalidOperationException("bicep build failed:\n" + Build.Diagnostics);

    public static ArmTemplate Template(IReadOnlyDictionary<string, object?>? parameters = null) =>
        new(CompiledJson, parameters ?? TestParameters);

    public static string Metadata(string key) =>
        typeof(Infra).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' missing (see MisSend.Infra.Tests.csproj).");

    public static string BicepPath
    {
        get
        {
            var path = Metadata("BicepPath");
            Assert.True(File.Exists(path), $"Bicep CLI not found at '{path}'; restore the Azure.Bicep.CommandLine.linux-x64 package.");
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                if ((mode & exec) != exec)
                {
                    File.SetUnixFileMode(path, mode | exec);
                }
            }

            return path;
        }
    }

    public static BicepRun RunBicep(params string[] args)
    {
        var start = new ProcessStartInfo(BicepPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry and no update check from a test run (there is no network).
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["AZURE_BICEP_USAGE_TELEMETRY_OPT_OUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bicep " + string.Join(' ', args) + " did not finish in 3 minutes.");
        }

        return new BicepRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>net10.0 → "10.0", from Directory.Build.props.</summary>
    public static string TargetFrameworkVersion()
    {
        var props = XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props"));
        var tfm = props.Descendants("TargetFramework").Single().Value.Trim();
        Assert.StartsWith("net", tfm);
        return tfm["net".Length..];
    }

    /// <summary>functions.metadata written by the build of MisSend.Functions (built through the ProjectReference).</summary>
    public static string FunctionsMetadataPath()
    {
        var bin = Path.Combine(RepoRoot, "functions", "MisSend.Functions", "bin");
        var sameConfiguration = Path.Combine(bin, Metadata("Configuration"), "net" + TargetFrameworkVersion(), "functions.metadata");
        if (File.Exists(sameConfiguration))
        {
            return sameConfiguration;
        }

        var newest = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "functions.metadata", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        return newest ?? throw new FileNotFoundException(
            $"functions.metadata not found under {bin}; building this test project should have built MisSend.Functions.");
    }

    /// <summary>The HTTP functions in functions.metadata: name, route (as declared) and authorization level.</summary>
    public static IReadOnlyList<(string Name, string Route, string AuthLevel)> HttpFunctions()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(FunctionsMetadataPath()))!.AsArray();
        return metadata
            .SelectMany(f => f!["bindings"]!.AsArray()
                .Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
                .Select(b => (f!["name"]!.GetValue<string>(), b!["route"]?.GetValue<string>() ?? f["name"]!.GetValue<string>(), b["authLevel"]?.GetValue<string>() ?? "")))
            .ToList();
    }

    /// <summary>The path a function route is served at: host.json's extensions.http.routePrefix (default "api") + route.</summary>
    public static string HttpPath(string route)
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "host.json")))!;
        var prefix = host["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        return "/" + string.Join('/', new[] { prefix, route }.Where(p => p.Length > 0));
    }

    public static string DeployDoc => File.ReadAllText(Path.Combine(RepoRoot, "docs", "deploy.md"));

    private static (BicepRun, JsonObject?) BuildMain()
    {
        var run = RunBicep("build", MainBicep, "--stdout");
        return (run, run.ExitCode == 0 ? JsonNode.Parse(run.StdOut)!.AsObject() : null);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Detector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Detector.sln not found above " + AppContext.BaseDirectory);
    }
}
