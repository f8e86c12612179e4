namespace MisSend.Infra.Tests;

public sealed class BicepCompileTests
{
    [Fact]
    public void Main_bicep_builds_without_errors_or_warnings()
    {
        var run = Infra.Build;
        Assert.True(run.ExitCode == 0, "bicep build failed:\n" + run.Diagnostics);
        Assert.True(run.StdErr.Trim().Length == 0, "bicep build reported diagnostics:\n" + run.StdErr);
        Assert.Contains("\"$schema\"", run.StdOut);
    }

    [Fact]
    public void Lint_reports_nothing()
    {
        var run = Infra.RunBicep("lint", Infra.MainBicep);
        Assert.True(run.ExitCode == 0, "bicep lint failed:\n" + run.Diagnostics);
        Assert.True(run.Diagnostics.Length == 0, "bicep lint reported:\n" + run.Diagnostics);
    }

    [Theory]
    [InlineData("no-unused-params")]
    [InlineData("no-unused-vars")]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("secure-parameter-default")]
    [InlineData("use-secure-value-for-secure-inputs")]
    [InlineData("no-hardcoded-env-urls")]
    [InlineData("no-hardcoded-location")]
    [InlineData("use-stable-resource-identifiers")]
    public void Linter_rules_that_matter_are_errors(string rule)
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "infra", "bicepconfig.json")))!;
        Assert.Equal("error", config["analyzers"]?["core"]?["rules"]?[rule]?["level"]?.GetValue<string>());
    }

    [Fact]
    public void Subscription_scope_creates_the_resource_group_named_after_the_environment()
    {
        var template = Infra.Template();
        Assert.Contains("subscriptionDeploymentTemplate", Infra.CompiledJson["$schema"]!.GetValue<string>());
        var group = Assert.Single(template.OfType("Microsoft.Resources/resourceGroups"));
        Assert.Equal("rg-test", group.Name);
    }

    [Fact]
    public void No_public_registry_modules_are_used()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Infra.RepoRoot, "infra"), "*.bicep", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("br/public:", text);
            Assert.DoesNotContain("br:", text);
        }
    }
}
