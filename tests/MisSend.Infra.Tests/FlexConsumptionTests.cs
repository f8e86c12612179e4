namespace MisSend.Infra.Tests;

/// <summary>What Microsoft documents about Flex Consumption, checked against the template (sources in docs/deploy.md).</summary>
public sealed class FlexConsumptionTests
{
    /// <summary>Site properties listed under "Flex Consumption plan deprecations" (Azure Functions app settings
    /// reference), plus endToEndEncryptionEnabled from the plan's "Considerations" (certificates).</summary>
    public static TheoryData<string> DeprecatedSiteProperties =>
    [
        "alwaysOn", "containerSize", "dnsConfiguration", "ftpsState", "isReserved", "IsXenon", "javaVersion",
        "linuxFxVersion", "netFrameworkVersion", "powerShellVersion", "functionAppScaleLimit", "preWarmedInstanceCount",
        "use32BitWorkerProcess", "vnetBackupRestoreEnabled", "vnetContentShareEnabled", "vnetImagePullEnabled",
        "vnetRouteAllEnabled", "windowsFxVersion", "endToEndEncryptionEnabled",
    ];

    /// <summary>App settings from the same deprecation table, plus the ones the "Considerations" call unsupported
    /// (time zones, certificate loading).</summary>
    public static TheoryData<string> DeprecatedAppSettings =>
    [
        "ENABLE_ORYX_BUILD", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT", "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTOVERVNET",
        "WEBSITE_CONTENTSHARE", "WEBSITE_DNS_SERVER", "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
        "WEBSITE_VNET_ROUTE_ALL", "WEBSITE_TIME_ZONE", "TZ", "WEBSITE_LOAD_CERTIFICATES",
    ];

    [Fact]
    public void No_ftps_state_anywhere() =>
        Assert.DoesNotContain("ftpsState", Infra.CompiledJson.ToJsonString(), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [MemberData(nameof(DeprecatedSiteProperties))]
    public void Site_sets_no_property_flex_consumption_deprecates(string property)
    {
        var site = FunctionAppTests.Site;
        var properties = Assert.IsType<Dictionary<string, object?>>(site.Get("properties"));
        var siteConfig = Assert.IsType<Dictionary<string, object?>>(site.Get("properties.siteConfig"));
        Assert.False(properties.ContainsKey(property), $"site properties set {property}");
        Assert.False(siteConfig.ContainsKey(property), $"siteConfig sets {property}");
    }

    [Fact]
    public void Site_config_holds_only_properties_checked_against_the_flex_consumption_docs()
    {
        // Adding a siteConfig property? Check it against the deprecation list first, then add it here and to deploy.md.
        var siteConfig = Assert.IsType<Dictionary<string, object?>>(FunctionAppTests.Site.Get("properties.siteConfig"));
        Assert.Equal(["minTlsVersion"], siteConfig.Keys.Order());
        Assert.Equal("1.2", siteConfig["minTlsVersion"]);
    }

    [Theory]
    [MemberData(nameof(DeprecatedAppSettings))]
    public void No_app_setting_flex_consumption_deprecates(string setting) =>
        Assert.DoesNotContain(setting, FunctionAppTests.AppSettings().Keys, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Location_is_limited_to_flex_consumption_regions_and_azd_asks_for_it_as_a_location()
    {
        var location = Infra.CompiledJson["parameters"]!["location"]!.AsObject();
        var allowed = location["allowedValues"]?.AsArray().Select(v => v!.GetValue<string>()).ToList() ?? [];
        Assert.NotEmpty(allowed);
        Assert.All(allowed, region => Assert.Matches("^[a-z][a-z0-9]+$", region));
        Assert.Equal(allowed.Count, allowed.Distinct().Count());
        Assert.Contains(Assert.IsType<string>(Infra.TestParameters["location"]), allowed);
        Assert.Equal("location", location["metadata"]?["azd"]?["type"]?.GetValue<string>());
        Assert.False(location.ContainsKey("defaultValue"), "a default region would bypass azd's prompt");
    }

    [Fact]
    public void Scale_limits_are_the_documented_ones()
    {
        var parameters = Infra.CompiledJson["parameters"]!.AsObject();
        Assert.Equal([512, 2048, 4096], parameters["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>()));
        Assert.Equal(1, parameters["maximumInstanceCount"]!["minValue"]!.GetValue<int>());
        Assert.Equal(1000, parameters["maximumInstanceCount"]!["maxValue"]!.GetValue<int>());
    }

    [Fact]
    public void One_app_per_flex_consumption_plan()
    {
        var plan = Assert.Single(Infra.Template().OfType("Microsoft.Web/serverfarms"));
        var site = FunctionAppTests.Site;
        Assert.Contains($"'Microsoft.Web/serverfarms', {Arm.ArmScope.Render(plan.Name)}", Arm.ArmScope.AsText(site.Get("properties.serverFarmId")));
    }
}
