using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace MisSend.Cli.Hosting;

/// <summary>
/// One line per log entry, as a person at a terminal reads it: <c>12:03:01 warn Job … chunk 2/3: HALT …</c>. An
/// exception shows as its message; its stack trace only with <c>--verbose</c> (which also adds the category).
/// </summary>
public sealed class OneLineConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "missend-one-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var verbose = options.CurrentValue.IncludeScopes;
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        textWriter.Write($"{DateTimeOffset.Now:HH:mm:ss} {level} ");
        if (verbose)
        {
            textWriter.Write($"{logEntry.Category}: ");
        }

        textWriter.Write(logEntry.Formatter(logEntry.State, logEntry.Exception).ReplaceLineEndings(" "));
        if (logEntry.Exception is { } e)
        {
            textWriter.Write(verbose ? Environment.NewLine + e : $" ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})");
        }

        textWriter.WriteLine();
    }
}
