using System.Text.Json.Nodes;

namespace MisSend.Infra.Tests.Arm;

/// <summary>One resource instance of a compiled template (a copy loop yields one per iteration), modules included.</summary>
public sealed record ArmResource(string Type, string Name, JsonObject Json, ArmScope Scope, int? CopyIndex)
{
    /// <summary>The last segment of the name: the queue, table or container name of a child resource.</summary>
    public string LeafName => Name[(Name.LastIndexOf('/') + 1)..];

    /// <summary>The deployment (module) this resource is declared in; "" for the main template.</summary>
    public string Deployment => Scope.DeploymentName;

    /// <summary>Evaluates a property path under the resource, e.g. "properties.functionAppConfig.runtime".</summary>
    public object? Get(string path)
    {
        JsonNode? node = Json;
        foreach (var part in path.Split('.'))
        {
            node = node?.AsObject().FirstOrDefault(p => string.Equals(p.Key, part, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return Scope.Evaluate(node, CopyIndex);
    }

    public string? GetString(string path) => Get(path) is { } value ? ArmScope.AsText(value) : null;

    /// <summary>The raw "condition" expression, or null when the resource is unconditional.</summary>
    public JsonNode? Condition => Json["condition"];

    public override string ToString() => $"{Type} '{Name}'" + (Deployment.Length > 0 ? $" in module '{Deployment}'" : "");

    public bool? EvaluateCondition() => Condition is null ? true : Scope.Evaluate(Condition, CopyIndex) as bool?;
}

/// <summary>A compiled ARM template and every resource in it, walking into module deployments recursively.</summary>
public sealed class ArmTemplate
{
    public ArmTemplate(JsonObject root, IReadOnlyDictionary<string, object?> parameters)
    {
        Root = root;
        Scope = new ArmScope(root, name => parameters.TryGetValue(name, out var v) ? (true, v) : (false, null), "");
        Resources = Walk(Scope).ToList();
    }

    public JsonObject Root { get; }

    public ArmScope Scope { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every template (main and nested) with its scope, for checks on parameters and outputs.</summary>
    public IEnumerable<ArmScope> Scopes => new[] { Scope }.Concat(
        OfType("Microsoft.Resources/deployments").Select(d => NestedScope(d)));

    private readonly Dictionary<JsonObject, ArmScope> _nested = new(ReferenceEqualityComparer.Instance);

    private ArmScope NestedScope(ArmResource deployment)
    {
        if (_nested.TryGetValue(deployment.Json, out var existing))
        {
            return existing;
        }

        var properties = deployment.Json["properties"]!.AsObject();
        var template = properties["template"]!.AsObject();
        var supplied = properties["parameters"]?.AsObject();
        var parent = deployment.Scope;
        var copyIndex = deployment.CopyIndex;
        var scope = new ArmScope(
            template,
            name => supplied is not null && supplied.TryGetPropertyValue(name, out var p) ? SuppliedValue(parent.Evaluate(p, copyIndex)) : (false, null),
            deployment.Name);
        _nested[deployment.Json] = scope;
        return scope;
    }

    /// <summary>
    /// A module parameter as the parent passes it: { "value": ... }, or one expression that yields that object
    /// (Bicep writes a conditional value as "[if(c, createObject('value', a), createObject('value', b))]").
    /// </summary>
    private static (bool Found, object? Value) SuppliedValue(object? parameter) => parameter switch
    {
        Dictionary<string, object?> d when d.TryGetValue("value", out var value) => (true, value),
        Unknown u => (true, new Unknown(u.Text + ".value")),
        _ => (false, null),
    };

    private static int CopyCount(ArmScope scope, string type, JsonObject copy) =>
        scope.Evaluate(copy["count"], null) is long count
            ? (int)count
            : throw new InvalidOperationException($"The copy count of {type} in '{scope.DeploymentName}' is not known before deployment: {ArmScope.Render(scope.Evaluate(copy["count"], null))}.");

    private IEnumerable<ArmResource> Walk(ArmScope scope)
    {
        var resources = scope.Template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
            _ => [],
        };

        foreach (var json in resources)
        {
            var type = json["type"]!.GetValue<string>();
            var indices = json["copy"] is JsonObject copy
                ? Enumerable.Range(0, CopyCount(scope, type, copy)).Select(i => (int?)i)
                : [null];
            foreach (var index in indices)
            {
                var resource = new ArmResource(type, ArmScope.AsText(scope.Evaluate(json["name"], index)), json, scope, index);
                yield return resource;
                if (string.Equals(type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var nested in Walk(NestedScope(resource)))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }
}
