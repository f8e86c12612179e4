using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MisSend.Infra.Tests.Arm;

/// <summary>
/// One template (the main one or a module's nested one) with the parameter values it receives.
/// Evaluates the subset of the ARM function library that Bicep emits for plain values (parameters,
/// variables, format, createArray, createObject, union, concat, length, copyIndex, not, empty, ...);
/// anything that needs Azure (reference, resourceId, uniqueString, subscription, ...) becomes an <see cref="Unknown"/>.
/// Values: string, long, bool, null, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;, Unknown.
/// </summary>
public sealed partial class ArmScope
{
    private readonly Func<string, (bool Found, object? Value)> _suppliedParameter;
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);

    public ArmScope(JsonObject template, Func<string, (bool Found, object? Value)> suppliedParameter, string deploymentName)
    {
        Template = template;
        _suppliedParameter = suppliedParameter;
        DeploymentName = deploymentName;
    }

    public JsonObject Template { get; }

    public string DeploymentName { get; }

    public object? Parameter(string name)
    {
        var (found, value) = _suppliedParameter(name);
        if (found)
        {
            return value;
        }

        var declaration = Template["parameters"]?[name]?.AsObject()
            ?? throw new InvalidOperationException($"Parameter '{name}' is not declared in deployment '{DeploymentName}'.");
        return declaration.TryGetPropertyValue("defaultValue", out var defaultValue)
            ? Evaluate(defaultValue, null)
            : new Unknown($"parameters('{name}')");
    }

    public object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var variables = Template["variables"]?.AsObject();
        if (variables is null || !variables.TryGetPropertyValue(name, out var node))
        {
            throw new InvalidOperationException($"Variable '{name}' is not declared in deployment '{DeploymentName}'.");
        }

        var value = Evaluate(node, null);
        _variables[name] = value;
        return value;
    }

    /// <summary>Evaluates a template value: expression strings "[...]" are evaluated, arrays and objects recursively.</summary>
    public object? Evaluate(JsonNode? node, int? copyIndex)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonArray array:
                return array.Select(item => Evaluate(item, copyIndex)).ToList();
            case JsonObject obj:
                var dict = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in obj)
                {
                    dict[AsText(EvaluateString(key, copyIndex))] = Evaluate(value, copyIndex);
                }

                return dict;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return EvaluateString(value.GetValue<string>(), copyIndex);
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                return value.GetValue<long>();
            case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return value.GetValue<bool>();
            default:
                throw new InvalidOperationException($"Unexpected JSON node {node.ToJsonString()}.");
        }
    }

    public object? EvaluateString(string text, int? copyIndex)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..];
        }

        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            return Evaluate(ArmExpressionParser.Parse(text[1..^1]), copyIndex);
        }

        return text;
    }

    public object? Evaluate(ArmNode node, int? copyIndex) => node switch
    {
        ArmLiteral literal => literal.Value,
        ArmMember member => Member(Evaluate(member.Target, copyIndex), member.Name),
        ArmIndex index => Index(Evaluate(index.Target, copyIndex), Evaluate(index.Key, copyIndex)),
        ArmCall call => Call(call, copyIndex),
        _ => throw new InvalidOperationException(node.ToString()),
    };

    private object? Call(ArmCall call, int? copyIndex)
    {
        var args = call.Args.Select(a => Evaluate(a, copyIndex)).ToList();
        var anyUnknown = args.Any(a => a is Unknown);
        var unknown = new Unknown($"{call.Name}({string.Join(", ", args.Select(Render))})");
        switch (call.Name.ToLowerInvariant())
        {
            case "parameters":
                return Parameter((string)args[0]!);
            case "variables":
                return Variable((string)args[0]!);
            case "format":
                var format = (string)args[0]!;
                return FormatItem().Replace(format, m => AsText(args[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1]));
            case "concat":
                return args.All(a => a is List<object?>)
                    ? args.Cast<List<object?>>().SelectMany(a => a).ToList()
                    : string.Concat(args.Select(AsText));
            case "createarray":
                return args;
            case "createobject":
                var created = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i + 1 < args.Count; i += 2)
                {
                    created[AsText(args[i])] = args[i + 1];
                }

                return created;
            case "union" when args.All(a => a is Dictionary<string, object?>):
                var merged = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var dict in args.Cast<Dictionary<string, object?>>())
                {
                    foreach (var (key, value) in dict)
                    {
                        merged[key] = value;
                    }
                }

                return merged;
            case "copyindex":
                var offset = args.OfType<long>().FirstOrDefault();
                return (copyIndex ?? throw new InvalidOperationException("copyIndex() outside a copy loop.")) + offset;
            case "length" when !anyUnknown:
                return args[0] switch
                {
                    string s => (long)s.Length,
                    List<object?> l => (long)l.Count,
                    Dictionary<string, object?> d => (long)d.Count,
                    _ => throw new InvalidOperationException($"length() of {args[0]}"),
                };
            case "empty" when !anyUnknown:
                return args[0] switch
                {
                    null => true,
                    string s => s.Length == 0,
                    List<object?> l => l.Count == 0,
                    Dictionary<string, object?> d => d.Count == 0,
                    _ => false,
                };
            case "not" when !anyUnknown:
                return !(bool)args[0]!;
            case "equals" when !anyUnknown:
                return Equals(args[0], args[1]);
            case "tolower" when !anyUnknown:
                return ((string)args[0]!).ToLowerInvariant();
            case "toupper" when !anyUnknown:
                return ((string)args[0]!).ToUpperInvariant();
            case "string" when !anyUnknown && args[0] is string or long:
                return AsText(args[0]);
            case "if" when args[0] is bool condition:
                return condition ? args[1] : args[2];
            default:
                return unknown;
        }
    }

    private static object? Member(object? target, string name) => target switch
    {
        Unknown u => new Unknown($"{u.Text}.{name}"),
        Dictionary<string, object?> d when d.TryGetValue(name, out var value) => value,
        _ => throw new InvalidOperationException($"No property '{name}' on {Render(target)}."),
    };

    private static object? Index(object? target, object? key) => (target, key) switch
    {
        (Unknown u, _) => new Unknown($"{u.Text}[{Render(key)}]"),
        (_, Unknown k) => new Unknown($"{Render(target)}[{k.Text}]"),
        (List<object?> list, long i) => list[(int)i],
        (Dictionary<string, object?> d, string k) => d[k],
        _ => throw new InvalidOperationException($"Cannot index {Render(target)} with {Render(key)}."),
    };

    /// <summary>A value as text, as format() would write it; an unknown part appears as ⟨...⟩.</summary>
    public static string AsText(object? value) => value switch
    {
        null => "",
        string s => s,
        Unknown u => u.ToString(),
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        _ => Render(value),
    };

    /// <summary>A value as it would be written back in an expression.</summary>
    public static string Render(object? value) => value switch
    {
        null => "null",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        Unknown u => u.Text,
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        List<object?> l => "[" + string.Join(", ", l.Select(Render)) + "]",
        Dictionary<string, object?> d => "{" + string.Join(", ", d.Select(kv => kv.Key + ": " + Render(kv.Value))) + "}",
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\{(\d+)(?::[^}]*)?\}")]
    private static partial Regex FormatItem();
}
