using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MisSend.Azure.Configuration;
using MisSend.Infra.Tests.Arm;

namespace MisSend.Infra.Tests;

public sealed partial class FunctionAppTests
{
    internal static ArmResource Site => Assert.Single(Infra.Template().OfType("Microsoft.Web/sites"));

    internal static Dictionary<string, object?> AppSettings()
    {
        var config = Assert.Single(Infra.Template().OfType("Microsoft.Web/sites/config"), c => c.LeafName == "appsettings");
        return Assert.IsType<Dictionary<string, object?>>(config.Get("properties"));
    }

    /// <summary>The user-assigned identity attached to the site, as its (partly unknown) resource id.</summary>
    internal static string SiteIdentityId()
    {
        Assert.Equal("UserAssigned", Site.Get("identity.type"));
        var identities = Assert.IsType<Dictionary<string, object?>>(Site.Get("identity.userAssignedIdentities"));
        var id = Assert.Single(identities).Key;
        return id.Trim('⟨', '⟩');
    }

    [Fact]
    public void Runs_on_flex_consumption_linux()
    {
        var plan = Assert.Single(Infra.Template().OfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.Get("sku.name"));
        Assert.Equal("FlexConsumption", plan.Get("sku.tier"));
        Assert.Equal(true, plan.Get("properties.reserved"));
        Assert.Equal("functionapp,linux", Site.Get("kind"));
        Assert.Equal(true, Site.Get("properties.httpsOnly"));
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_on_the_target_framework_of_the_code()
    {
        Assert.Equal("dotnet-isolated", Site.Get("properties.functionAppConfig.runtime.name"));
        Assert.Equal(Infra.TargetFrameworkVersion(), Site.Get("properties.functionAppConfig.runtime.version"));
    }

    [Fact]
    public void Scale_settings_are_parameters()
    {
        var main = Infra.CompiledJson["parameters"]!.AsObject();
        Assert.Equal("int", main["instanceMemoryMB"]?["type"]?.GetValue<string>());
        Assert.Equal("int", main["maximumInstanceCount"]?["type"]?.GetValue<string>());
        var overridden = new Dictionary<string, object?>(Infra.TestParameters) { ["instanceMemoryMB"] = 4096L, ["maximumInstanceCount"] = 123L };
        var site = Assert.Single(Infra.Template(overridden).OfType("Microsoft.Web/sites"));
        Assert.Equal(4096L, site.Get("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal(123L, site.Get("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
    }

    [Fact]
    public void Deployment_package_comes_from_a_provisioned_container_read_with_the_user_assigned_identity()
    {
        var storage = Site.Get("properties.functionAppConfig.deployment.storage");
        var settings = Assert.IsType<Dictionary<string, object?>>(storage);
        Assert.Equal("blobContainer", settings["type"]);
        // "⟨reference(resourceId('Microsoft.Storage/storageAccounts', 'st...'), ...).primaryEndpoints.blob⟩app-package"
        var url = ArmScope.AsText(settings["value"]);
        var account = Assert.Single(Infra.Template().OfType("Microsoft.Storage/storageAccounts"));
        Assert.StartsWith($"⟨reference(resourceId('Microsoft.Storage/storageAccounts', {ArmScope.Render(account.Name)}), ", url);
        var container = url[(url.IndexOf(".primaryEndpoints.blob⟩", StringComparison.Ordinal) + ".primaryEndpoints.blob⟩".Length)..];
        Assert.Contains(container, Infra.Template().OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => c.LeafName));
        Assert.DoesNotContain(container, new[] { new PipelineOptions().QuarantineContainer, new PipelineOptions().ClaimCheckContainer });
        var authentication = Assert.IsType<Dictionary<string, object?>>(settings["authentication"]);
        Assert.Equal("UserAssignedIdentity", authentication["type"]);
        Assert.Equal(SiteIdentityId(), ArmScope.AsText(authentication["userAssignedIdentityResourceId"]).Trim('⟨', '⟩'));
    }

    [Fact]
    public void Host_storage_is_identity_based()
    {
        var settings = AppSettings();
        var account = Assert.Single(Infra.Template().OfType("Microsoft.Storage/storageAccounts"));
        Assert.Equal(account.Name, settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        var clientId = Assert.IsType<Unknown>(settings["AzureWebJobsStorage__clientId"]).Text;
        Assert.StartsWith($"reference({SiteIdentityId()}, ", clientId);
        Assert.EndsWith(".clientId", clientId);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain(settings.Keys, k => k.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && k != "APPLICATIONINSIGHTS_CONNECTION_STRING");
    }

    [Fact]
    public void Application_insights_is_reached_with_entra_id()
    {
        var settings = AppSettings();
        var clientId = ArmScope.AsText(settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal($"ClientId={clientId};Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Contains("Microsoft.Insights/components", ArmScope.AsText(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]));
        var insights = Assert.Single(Infra.Template().OfType("Microsoft.Insights/components"));
        Assert.Equal(true, insights.Get("properties.DisableLocalAuth"));
    }

    [Fact]
    public void Confirmation_links_point_at_the_senders_own_page_never_this_apps_host()
    {
        var value = ArmScope.AsText(AppSettings()["NoticeSender__ConfirmationPageUrl"]);
        Assert.Equal(Infra.TestParameters["noticeConfirmationPageUrl"], value);
        Assert.DoesNotContain("defaultHostName", value);
    }

    [Fact]
    public void Sender_name_defaults_to_the_organization()
    {
        Assert.Equal(Infra.TestParameters["noticeOrganization"], AppSettings()["NoticeSender__FromName"]);
        Assert.Equal(Infra.TestParameters["noticeOrganization"], AppSettings()["NoticeSender__OrganizationEn"]);
        var named = new Dictionary<string, object?>(Infra.TestParameters) { ["sendGridFromName"] = "個人情報お問い合わせ窓口", ["noticeOrganizationEn"] = "Urawa Reds Season Ticket Office" };
        var config = Assert.Single(Infra.Template(named).OfType("Microsoft.Web/sites/config"), c => c.LeafName == "appsettings");
        Assert.Equal("個人情報お問い合わせ窓口", config.Get("properties.NoticeSender__FromName"));
        Assert.Equal("Urawa Reds Season Ticket Office", config.Get("properties.NoticeSender__OrganizationEn"));
    }

    [Fact]
    public void Outbound_queue_setting_names_the_queue_the_code_and_the_infra_use()
    {
        var value = AppSettings()[PipelineOptions.OutboundQueueSetting];
        Assert.Equal(new PipelineOptions().OutboundQueue, value);
        Assert.Contains(value, Infra.Template().OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => q.LeafName));
    }

    [Fact]
    public void Notice_schedule_defaults_to_the_code_default() =>
        Assert.Equal(PipelineOptions.DefaultNoticeSchedule, AppSettings()[PipelineOptions.NoticeScheduleSetting]);

    [Fact]
    public void Every_setting_a_trigger_binds_to_exists()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Infra.FunctionsMetadataPath()))!.AsArray();
        var referenced = BindingSettings();
        var triggerTypes = metadata.SelectMany(f => f!["bindings"]!.AsArray()).Select(b => b!["type"]!.GetValue<string>()).ToList();

        // The queue trigger is the heart of the app; the notice timer (%NoticeSchedule%) is covered by the loop below once it binds.
        Assert.Contains("queueTrigger", triggerTypes);
        Assert.Contains(PipelineOptions.OutboundQueueSetting, referenced);
        var settings = AppSettings();
        Assert.All(referenced, name => Assert.True(settings.ContainsKey(name), $"functions.metadata binds to %{name}% but infra sets no such app setting."));

        // The queue trigger's queue is the provisioned one.
        var queues = Infra.Template().OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => q.LeafName).ToList();
        foreach (var binding in metadata.SelectMany(f => f!["bindings"]!.AsArray()).Where(b => b!["type"]!.GetValue<string>() == "queueTrigger"))
        {
            var queueName = AppSettingReference().Replace(binding!["queueName"]!.GetValue<string>(), m => ArmScope.AsText(settings[m.Groups[1].Value]));
            Assert.Contains(queueName, queues);
        }
    }

    /// <summary>Every %setting% a binding in functions.metadata refers to.</summary>
    internal static HashSet<string> BindingSettings()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Infra.FunctionsMetadataPath()))!.AsArray();
        return metadata
            .SelectMany(f => f!["bindings"]!.AsArray())
            .SelectMany(b => b!.AsObject().Select(p => p.Value))
            .OfType<JsonValue>()
            .Select(v => v.TryGetValue<string>(out var text) ? text : "")
            .SelectMany(text => AppSettingReference().Matches(text).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex AppSettingReference();
}
