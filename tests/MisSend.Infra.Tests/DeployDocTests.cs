using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MisSend.Infra.Tests;

/// <summary>docs/deploy.md names everything an operator has to set or will find: parameters, azd variables, settings, secrets.</summary>
public sealed partial class DeployDocTests
{
    [GeneratedRegex(@"^\$\{(?<name>[A-Z0-9_]+)(=[^}]*)?\}$")]
    private static partial Regex AzdVariable();

    public static TheoryData<string> Parameters => new(Infra.CompiledJson["parameters"]!.AsObject().Select(p => p.Key));

    public static TheoryData<string> AzdVariables => new(
        JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject()
            .Select(p => AzdVariable().Match(p.Value!["value"]!.GetValue<string>()))
            .Select(m => m.Success ? m.Groups["name"].Value : throw new InvalidOperationException("main.parameters.json holds a value that is not an azd ${VARIABLE}")));

    public static TheoryData<string> Settings => new(FunctionAppTests.AppSettings().Keys);

    public static TheoryData<string> Secrets => new(Infra.Template().OfType("Microsoft.KeyVault/vaults/secrets").Select(s => s.LeafName));

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Every_parameter_is_documented(string name) => Assert.Contains($"`{name}`", Infra.DeployDoc);

    [Theory]
    [MemberData(nameof(AzdVariables))]
    public void Every_azd_variable_is_documented(string name) => Assert.Contains($"`{name}`", Infra.DeployDoc);

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_app_setting_is_documented(string name) => Assert.Contains($"`{name}`", Infra.DeployDoc);

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Every_key_vault_secret_is_documented(string name) => Assert.Contains($"`{name}`", Infra.DeployDoc);

    [Fact]
    public void The_sign_in_setup_and_the_principal_headers_are_documented()
    {
        var doc = Infra.DeployDoc;
        Assert.All(["X-MS-CLIENT-PRINCIPAL", "X-MS-CLIENT-PRINCIPAL-NAME", "X-MS-CLIENT-PRINCIPAL-ID", "federated-credential", "azd env set AZURE_PRINCIPAL_TYPE ServicePrincipal"],
            text => Assert.Contains(text, doc));
        var excluded = Assert.IsType<List<object?>>(Assert.Single(Infra.Template().OfType("Microsoft.Web/sites/config"), c => c.LeafName == "authsettingsV2")
            .Get("properties.globalValidation.excludedPaths"));
        Assert.All(excluded, path => Assert.Contains($"`{path}`", doc));
    }
}
