using System.Globalization;
using System.Text;
using Fluid;
using Fluid.Values;
using MisSend.Core;
using MisSend.Core.Detection;
using MisSend.Core.Incidents;

namespace MisSend.Core.Notices;

/// <summary>
/// The Liquid setup the notices and the report share: templates embedded in this assembly, models read by their
/// snake_case property names, enums as their stored names, and filters that say numbers, times, categories and
/// causes in the template's language. Numbers the model does not know (null) read "不明" / "unknown".
/// </summary>
internal static class Liquid
{
    private static readonly TimeZoneInfo Japan = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();

    public static IFluidTemplate Load(string fileName)
    {
        var assembly = typeof(Liquid).Assembly;
        var suffix = "." + fileName;
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(suffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"template {fileName} is not embedded");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        var source = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        return Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"template {fileName}: {error}");
    }

    /// <summary>Renders to text; <paramref name="captured"/> holds what the template captured (e.g. a subject line).</summary>
    public static string Render(IFluidTemplate template, object model, string language, out IReadOnlyDictionary<string, string> captured)
    {
        IsJapanese(language);
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        var context = new TemplateContext(model, Options)
        {
            Captured = (name, value, _) =>
            {
                captures[name] = value.ToStringValue().Trim();
                return ValueTask.FromResult(value);
            },
        };
        context.AmbientValues["lang"] = language;
        captured = captures;
        return Tidy(template.Render(context, NullEncoder.Default));
    }

    public static bool IsJapanese(string language) => language switch
    {
        "ja" => true,
        "en" => false,
        _ => throw new ArgumentException($"language '{language}' is not supported (ja, en)", nameof(language)),
    };

    /// <summary>Date and time as the reader's calendar shows it (JST, the sender's time zone).</summary>
    public static string Time(DateTimeOffset at, bool ja)
    {
        var local = TimeZoneInfo.ConvertTime(at, Japan);
        return ja
            ? local.ToString("yyyy年M月d日 H:mm", CultureInfo.InvariantCulture) + "（日本時間）"
            : local.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " (JST)";
    }

    public static DateOnly JapanDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Japan).DateTime);

    private static string Day(DateOnly day, bool ja) =>
        day.ToString(ja ? "yyyy年M月d日" : "d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>No trailing spaces, at most one blank line in a row, one final newline.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        var sb = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            blank = line.Length == 0 ? blank + 1 : 0;
            if (blank <= 1)
            {
                sb.Append(line).Append('\n');
            }
        }

        return sb.ToString().Trim('\n') + "\n";
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            MemberAccessStrategy = new UnsafeMemberAccessStrategy { MemberNameStrategy = MemberNameStrategies.SnakeCase },
            CultureInfo = CultureInfo.InvariantCulture,
        };
        options.ValueConverters.Add(value => value switch
        {
            DataCategory c => c.Id(),
            Enum e => StoredName.OfBoxed(e),
            _ => null,
        });
        options.Filters.AddFilter("count", Count);
        options.Filters.AddFilter("num", (input, _, context) => Say(input, context, (n, _) => Number(n)));
        options.Filters.AddFilter("time", (input, _, context) => Say(input, context, (_, ja) => Time(Moment(input, context), ja)));
        options.Filters.AddFilter("day", (input, _, context) => Say(input, context, (v, ja) => Day(v is DateOnly d ? d : JapanDate(Moment(input, context)), ja)));
        options.Filters.AddFilter("categories", (input, _, context) => Say(input, context, (_, ja) => string.Join(ja ? "、" : ", ",
            input.Enumerate(context).Select(c => DataCategoryNames.FromId(c.ToStringValue()) is { } category ? ja ? category.Japanese() : category.English() : c.ToStringValue()))));
        options.Filters.AddFilter("rule_cause", (input, _, context) => Say(input, context, (id, ja) => RuleCatalog.Get((string)id).Cause(ja ? "ja" : "en")));
        // A job of one chunk has no "chunk 1": its mails are named as such.
        options.Filters.AddFilter("part", (input, arguments, context) => Say(input, context, (chunk, ja) => arguments.At(0).ToNumberValue() == 1
            ? ja ? "メール" : "the mail"
            : ja ? $"分割送信の第{Number(chunk)}回" : $"chunk {Number(chunk)}"));
        options.Filters.AddFilter("rule_title", (input, _, context) => Say(input, context, (id, ja) => RuleCatalog.Get((string)id).Title(ja ? "ja" : "en")));
        return options;
    }

    /// <summary><c>{{ n | count: "名" }}</c> → 212名; <c>{{ n | count: "person", "people" }}</c> → 1 person, 2 people.</summary>
    private static ValueTask<FluidValue> Count(FluidValue input, FilterArguments arguments, TemplateContext context) =>
        Say(input, context, (value, _) =>
        {
            var number = Number(value);
            return arguments.Count == 1
                ? number + arguments.At(0).ToStringValue()
                : $"{number} {(number == "1" ? arguments.At(0) : arguments.At(1)).ToStringValue()}";
        });

    private static DateTimeOffset Moment(FluidValue input, TemplateContext context) => input.TryGetDateTimeInput(context, out var at)
        ? at
        : throw new InvalidOperationException($"'{input.ToStringValue()}' is not a date and time");

    private static string Number(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("#,0.##", CultureInfo.InvariantCulture);

    private static ValueTask<FluidValue> Say(FluidValue input, TemplateContext context, Func<object, bool, string> say)
    {
        var ja = (string)context.AmbientValues["lang"] == "ja";
        return input.IsNil() ? new StringValue(ja ? "不明" : "unknown") : new StringValue(say(input.ToObjectValue(), ja));
    }
}
