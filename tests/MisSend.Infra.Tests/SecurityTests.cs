using MisSend.Infra.Tests.Arm;

namespace MisSend.Infra.Tests;

public sealed class SecurityTests
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    public static TheoryData<string, string> AppRoles => new()
    {
        { StorageQueueDataContributor, "Microsoft.Storage/storageAccounts" },
        { StorageTableDataContributor, "Microsoft.Storage/storageAccounts" },
        { KeyVaultSecretsUser, "Microsoft.KeyVault/vaults" },
        { MonitoringMetricsPublisher, "Microsoft.Insights/components" },
    };

    /// <summary>What the deploying principal gets: the app's storage data roles, and Key Vault Secrets Officer to set or rotate secrets.</summary>
    private static readonly string[] DeployerRoles = [StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor, KeyVaultSecretsOfficer];

    public static TheoryData<string> DeployerRoleData => new(DeployerRoles);

    private static List<ArmResource> Assignments(ArmTemplate template) =>
        template.OfType("Microsoft.Authorization/roleAssignments").ToList();

    private static bool HasRole(ArmResource assignment, string roleGuid) =>
        ArmScope.AsText(assignment.Get("properties.roleDefinitionId")).Contains($"'{roleGuid}'", StringComparison.Ordinal);

    /// <summary>The assignment's principal is the principalId of the identity attached to the function app.</summary>
    private static bool IsAppIdentity(ArmResource assignment)
    {
        var principal = ArmScope.AsText(assignment.Get("properties.principalId")).Trim('⟨', '⟩');
        return principal.StartsWith($"reference({FunctionAppTests.SiteIdentityId()}, ", StringComparison.Ordinal)
            && principal.EndsWith(".principalId", StringComparison.Ordinal)
            && Equals(assignment.Get("properties.principalType"), "ServicePrincipal");
    }

    private static string ScopeType(ArmResource assignment) =>
        ArmScope.AsText(assignment.Scope.EvaluateString(assignment.Json["scope"]!.GetValue<string>(), assignment.CopyIndex)).Trim('⟨', '⟩');

    [Theory]
    [MemberData(nameof(AppRoles))]
    public void App_identity_has_each_data_role_on_the_right_resource(string roleGuid, string scopeType)
    {
        var assignment = Assert.Single(Assignments(Infra.Template()), a => HasRole(a, roleGuid) && IsAppIdentity(a));
        Assert.Null(assignment.Condition);
        Assert.Contains($"'{scopeType}'", ScopeType(assignment));
    }

    [Fact]
    public void App_identity_can_use_host_storage_blobs()
    {
        var blob = Assignments(Infra.Template()).Where(a => IsAppIdentity(a) && (HasRole(a, StorageBlobDataOwner) || HasRole(a, StorageBlobDataContributor)));
        Assert.Contains("'Microsoft.Storage/storageAccounts'", ScopeType(Assert.Single(blob)));
    }

    [Fact]
    public void Created_identity_is_the_one_attached_to_the_app()
    {
        var identity = Assert.Single(Infra.Template().OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Equal($"resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', {ArmScope.Render(identity.Name)})", FunctionAppTests.SiteIdentityId());
    }

    private const string DeployerId = "00000000-0000-0000-0000-00000000abcd";

    private static ArmTemplate WithDeployer(string? principalType = null)
    {
        var parameters = new Dictionary<string, object?>(Infra.TestParameters) { ["principalId"] = DeployerId };
        if (principalType is not null)
        {
            parameters["principalType"] = principalType;
        }

        return Infra.Template(parameters);
    }

    /// <summary>Role assignments declared for the deploying principal (whether or not their condition holds).</summary>
    private static List<ArmResource> DeployerAssignments(ArmTemplate template) =>
        Assignments(template).Where(a => !IsAppIdentity(a)).ToList();

    [Theory]
    [MemberData(nameof(DeployerRoleData))]
    public void Deploying_principal_gets_its_roles_only_when_principal_id_is_set(string roleGuid)
    {
        var assignment = Assert.Single(DeployerAssignments(WithDeployer()), a => HasRole(a, roleGuid));
        Assert.Equal(DeployerId, assignment.Get("properties.principalId"));
        Assert.Equal(true, assignment.EvaluateCondition());

        var withoutDeployer = Assert.Single(DeployerAssignments(Infra.Template()), a => HasRole(a, roleGuid));
        Assert.Equal(false, withoutDeployer.EvaluateCondition());
    }

    [Theory]
    [InlineData("User")]
    [InlineData("ServicePrincipal")]
    [InlineData("Group")]
    public void Principal_type_flows_to_every_role_assignment_of_the_deploying_principal(string principalType)
    {
        var deployer = DeployerAssignments(WithDeployer(principalType));
        Assert.Equal(DeployerRoles.Order(), deployer.Select(a => DeployerRoles.Single(r => HasRole(a, r))).Order());
        Assert.All(deployer, a =>
        {
            Assert.Equal(DeployerId, a.Get("properties.principalId"));
            Assert.Equal(principalType, a.Get("properties.principalType"));
        });
    }

    [Fact]
    public void Principal_type_defaults_to_user_and_comes_from_the_azd_environment()
    {
        var parameter = Infra.CompiledJson["parameters"]!["principalType"]!.AsObject();
        Assert.Equal("User", parameter["defaultValue"]!.GetValue<string>());
        Assert.Equal(["User", "ServicePrincipal", "Group"], parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.All(DeployerAssignments(WithDeployer()), a => Assert.Equal("User", a.Get("properties.principalType")));

        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepoRoot, "infra", "main.parameters.json")))!;
        Assert.Equal("${AZURE_PRINCIPAL_TYPE=User}", file["parameters"]?["principalType"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void No_role_assignment_hard_codes_user()
    {
        // Every assignment is either the app's identity (a service principal) or takes the deploying principal's type.
        Assert.All(Assignments(WithDeployer("Group")), a => Assert.True(IsAppIdentity(a) || Equals(a.Get("properties.principalType"), "Group"), a.ToString()));
    }

    [Fact]
    public void Key_vault_uses_rbac()
    {
        var vault = Assert.Single(Infra.Template().OfType("Microsoft.KeyVault/vaults"));
        Assert.Equal(true, vault.Get("properties.enableRbacAuthorization"));
        Assert.Null(vault.Get("properties.accessPolicies"));
    }

    /// <summary>Each secret: the secure parameter that carries it and the app setting that reads it.</summary>
    public static TheoryData<string, string> Secrets => new()
    {
        { "sendGridApiKey", "SendGrid__ApiKey" },
        { "noticeSigningKey", "Notices__SigningKey" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Secret_is_a_secure_parameter_without_default(string parameterName, string _)
    {
        var parameter = Infra.CompiledJson["parameters"]![parameterName]!.AsObject();
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        Assert.False(parameter.ContainsKey("defaultValue"));
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Secret_goes_only_into_its_key_vault_secret(string parameterName, string _)
    {
        var template = Infra.Template();
        var secret = Assert.Single(template.OfType("Microsoft.KeyVault/vaults/secrets"), s => Equals(s.Get("properties.value"), new Unknown($"parameters('{parameterName}')")));

        var vault = Assert.Single(template.OfType("Microsoft.KeyVault/vaults"));
        Assert.StartsWith(vault.Name + "/", secret.Name);

        // Nowhere else: no other resource property and no output carries the secret.
        var others = template.Resources.Where(r => r.Type != "Microsoft.KeyVault/vaults/secrets" && r.Type != "Microsoft.Resources/deployments");
        Assert.All(others, r => Assert.DoesNotContain(parameterName, ArmScope.Render(r.Get("properties"))));
        foreach (var scope in template.Scopes)
        {
            var outputs = scope.Template["outputs"]?.AsObject() ?? [];
            foreach (var (name, output) in outputs)
            {
                var value = ArmScope.Render(scope.Evaluate(output!["value"], null));
                Assert.DoesNotContain(parameterName, value);
                Assert.NotEqual("securestring", output["type"]!.GetValue<string>());
                Assert.False(name.Contains("Key", StringComparison.OrdinalIgnoreCase) && !name.Contains("KEY_VAULT", StringComparison.Ordinal), $"output {name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void App_reads_the_secret_through_a_key_vault_reference_with_its_identity(string parameterName, string setting)
    {
        var template = Infra.Template();
        var secret = Assert.Single(template.OfType("Microsoft.KeyVault/vaults/secrets"), s => Equals(s.Get("properties.value"), new Unknown($"parameters('{parameterName}')")));
        var value = ArmScope.AsText(FunctionAppTests.AppSettings()[setting]);
        Assert.StartsWith("@Microsoft.KeyVault(SecretUri=", value);
        Assert.EndsWith($"secrets/{secret.LeafName})", value);
        Assert.Contains("'Microsoft.KeyVault/vaults'", value);
        Assert.Equal(FunctionAppTests.SiteIdentityId(), ArmScope.AsText(FunctionAppTests.Site.Get("properties.keyVaultReferenceIdentity")).Trim('⟨', '⟩'));
    }
}
