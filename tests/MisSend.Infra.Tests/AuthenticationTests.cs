using System.Text.Json.Nodes;
using MisSend.Infra.Tests.Arm;

namespace MisSend.Infra.Tests;

/// <summary>App Service Authentication (Easy Auth) with Microsoft Entra ID in front of the operator side.</summary>
public sealed class AuthenticationTests
{
    /// <summary>Routes recipients open from their mail, without an account: "deleted unread" and "this mail is not for me".</summary>
    private static readonly string[] RecipientRoutes = ["confirm", "not-mine"];

    private const string ClientAssertionSetting = "OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID";

    private static ArmResource Auth(IReadOnlyDictionary<string, object?>? parameters = null) =>
        Assert.Single(Infra.Template(parameters).OfType("Microsoft.Web/sites/config"), c => c.LeafName == "authsettingsV2");

    private static List<string> ExcludedPaths() =>
        Assert.IsType<List<object?>>(Auth().Get("properties.globalValidation.excludedPaths")).Cast<string>().ToList();

    [Fact]
    public void Authentication_is_on_and_required()
    {
        var auth = Auth();
        Assert.StartsWith(FunctionAppTests.Site.Name + "/", auth.Name);
        Assert.Equal(true, auth.Get("properties.platform.enabled"));
        Assert.Equal(true, auth.Get("properties.globalValidation.requireAuthentication"));
        Assert.Equal(true, auth.Get("properties.httpSettings.requireHttps"));
    }

    [Fact]
    public void Browsers_are_sent_to_the_entra_sign_in_page()
    {
        // RedirectToLoginPage: browsers get a 302 to /.auth/login/aad; non-browser clients get 401 (docs/deploy.md).
        var auth = Auth();
        Assert.Equal("RedirectToLoginPage", auth.Get("properties.globalValidation.unauthenticatedClientAction"));
        Assert.Equal("azureactivedirectory", auth.Get("properties.globalValidation.redirectToProvider"));
        var providers = Assert.IsType<Dictionary<string, object?>>(auth.Get("properties.identityProviders"));
        Assert.Equal(["azureActiveDirectory"], providers.Keys);
        Assert.Equal(true, auth.Get("properties.identityProviders.azureActiveDirectory.enabled"));
    }

    [Fact]
    public void The_app_registration_is_the_one_from_the_parameters()
    {
        Assert.Equal(Infra.EntraClientId, Auth().Get("properties.identityProviders.azureActiveDirectory.registration.clientId"));
        Assert.Equal(
            [$"api://{Infra.EntraClientId}"],
            Assert.IsType<List<object?>>(Auth().Get("properties.identityProviders.azureActiveDirectory.validation.allowedAudiences")));

        var parameter = Infra.CompiledJson["parameters"]!["entraClientId"]!.AsObject();
        Assert.False(parameter.ContainsKey("defaultValue"), "without an app registration the operator side would be unprotected");
        Assert.Equal(36, parameter["minLength"]!.GetValue<int>());
    }

    [Fact]
    public void Issuer_is_the_given_tenant_or_the_subscription_tenant()
    {
        const string tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        var given = new Dictionary<string, object?>(Infra.TestParameters) { ["entraTenantId"] = tenant };
        Assert.Equal(
            $"⟨environment().authentication.loginEndpoint⟩{tenant}/v2.0",
            ArmScope.AsText(Auth(given).Get("properties.identityProviders.azureActiveDirectory.registration.openIdIssuer")));
        Assert.Equal(
            "⟨environment().authentication.loginEndpoint⟩⟨tenant().tenantId⟩/v2.0",
            ArmScope.AsText(Auth().Get("properties.identityProviders.azureActiveDirectory.registration.openIdIssuer")));
    }

    [Fact]
    public void No_client_secret_the_managed_identity_signs_the_client_assertion()
    {
        var registration = Assert.IsType<Dictionary<string, object?>>(Auth().Get("properties.identityProviders.azureActiveDirectory.registration"));
        Assert.Equal(["clientId", "clientSecretSettingName", "openIdIssuer"], registration.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ClientAssertionSetting, registration["clientSecretSettingName"]);

        // The setting it names holds the client id of the identity attached to the app: no secret anywhere.
        var settings = FunctionAppTests.AppSettings();
        var clientId = Assert.IsType<Unknown>(settings[ClientAssertionSetting]).Text;
        Assert.StartsWith($"reference({FunctionAppTests.SiteIdentityId()}, ", clientId);
        Assert.EndsWith(".clientId", clientId);
        Assert.DoesNotContain("MICROSOFT_PROVIDER_AUTHENTICATION_SECRET", settings.Keys);
        var template = Infra.CompiledJson.ToJsonString();
        Assert.DoesNotContain("\"clientSecret\"", template, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("clientSecretCertificate", template, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Token_store_is_off()
    {
        // The app reads the principal headers only; it never calls anything with the operators' tokens.
        Assert.Equal(false, Auth().Get("properties.login.tokenStore.enabled"));
    }

    [Fact]
    public void Only_the_recipients_pages_are_open_without_sign_in()
    {
        Assert.Equal(RecipientRoutes.Select(Infra.HttpPath).Order(StringComparer.Ordinal), ExcludedPaths().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_excluded_confirmation_path_is_the_route_of_the_anonymous_confirmation_function()
    {
        var functions = Infra.HttpFunctions();
        var confirm = Assert.Single(functions, f => f.Route == "confirm");
        Assert.Equal("Anonymous", confirm.AuthLevel, ignoreCase: true);
        Assert.Contains(Infra.HttpPath(confirm.Route), ExcludedPaths());

        // Every recipient route that exists in the app is anonymous at the Functions level too.
        Assert.All(functions.Where(f => RecipientRoutes.Contains(f.Route)), f => Assert.Equal("Anonymous", f.AuthLevel, ignoreCase: true));
    }

    [Fact]
    public void No_operator_route_is_excluded_from_sign_in()
    {
        var excluded = ExcludedPaths();
        var operatorPaths = Infra.HttpFunctions().Where(f => !RecipientRoutes.Contains(f.Route)).Select(f => Infra.HttpPath(f.Route)).ToList();
        Assert.NotEmpty(operatorPaths);
        Assert.All(operatorPaths, path => Assert.DoesNotContain(excluded, e =>
            path.Equals(e, StringComparison.OrdinalIgnoreCase) || path.StartsWith(e.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain("/", excluded);
        Assert.All(excluded, e => Assert.DoesNotContain("*", e));
    }

    [Fact]
    public void Sign_in_settings_are_written_after_the_app_settings_they_read()
    {
        var dependsOn = Auth().Json["dependsOn"]?.AsArray().Select(d => d!.GetValue<string>()).ToList() ?? [];
        Assert.Contains(dependsOn, d => d.Contains("'appsettings'", StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_give_what_the_app_registration_needs()
    {
        var outputs = Infra.CompiledJson["outputs"]!.AsObject();
        Assert.StartsWith("[format('{0}/.auth/login/aad/callback', ", outputs["ENTRA_REDIRECT_URI"]!["value"]!.GetValue<string>());
        Assert.Contains(".principalId", outputs["AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID"]!["value"]!.GetValue<string>());
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "infra", "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${ENTRA_CLIENT_ID}", file["entraClientId"]?["value"]?.GetValue<string>());
        Assert.Equal("${ENTRA_TENANT_ID}", file["entraTenantId"]?["value"]?.GetValue<string>());
    }
}
