using System.CommandLine;
using System.CommandLine.Parsing;
using MisSend.Cli.Hosting;

namespace MisSend.Cli;

/// <summary>
/// What every command shares: usage errors exit 64 with the parser's message, an unknown option is never taken for a
/// file name, and a failure is one line and an exit code (the stack trace only with <c>--verbose</c>).
/// </summary>
public static class CommandLineChecks
{
    public static void NotBlank(params Option<string>[] options)
    {
        foreach (var option in options)
        {
            option.Validators.Add(r =>
            {
                if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
                {
                    r.AddError($"{option.Name} must not be empty");
                }
            });
        }
    }

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, Option<bool> verbose, TextWriter errors)
    {
        var parse = root.Parse(args);
        var problems = parse.Errors.Select(e => e.Message).Concat(UnknownOptions(parse)).Distinct().ToList();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                errors.WriteLine($"detector: {problem}");
            }

            errors.WriteLine($"Run '{string.Join(' ', CommandPath(parse.CommandResult))} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (code, message) = e switch
            {
                StorageUnavailableException => (ExitCodes.Unavailable, e.Message),
                FormatException => (ExitCodes.InvalidInput, e.Message),
                IOException or System.Net.Sockets.SocketException => (ExitCodes.Unavailable, e.Message),
                Microsoft.Extensions.Options.OptionsValidationException o => (ExitCodes.InvalidInput, "setting: " + string.Join("; ", o.Failures)),
                global::Azure.RequestFailedException r => (ExitCodes.Unavailable, $"storage answered {r.Status} ({r.ErrorCode}): {FirstLine(r.Message)}"),
                _ => (ExitCodes.Internal, $"{e.GetType().Name}: {FirstLine(e.Message)}"),
            };
            errors.WriteLine($"detector: {message}");
            if (parse.GetValue(verbose))
            {
                errors.WriteLine(e);
            }

            return code;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }

    /// <summary>
    /// Tokens given to a command's files that look like options (<c>--jsn</c>) and name no file: System.CommandLine
    /// passes them on as arguments. A file whose name starts with '-' can still be given after <c>--</c>.
    /// </summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parse)
    {
        var afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).ToHashSet();
        return parse.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens)
            .Where(t => !afterDoubleDash.Contains(t) && t.Value.Length > 1 && t.Value[0] == '-' && !File.Exists(t.Value) && !Directory.Exists(t.Value))
            .Select(t => $"unknown option '{t.Value}'");
    }

    private static IEnumerable<string> CommandPath(SymbolResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Push(c.Command is RootCommand ? "detector" : c.Command.Name);
            }
        }

        return names;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
