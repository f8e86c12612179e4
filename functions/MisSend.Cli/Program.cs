using System.CommandLine;
using MisSend.Cli;

var root = new RootCommand("Mis-send Detector: stops bulk e-mail that would leak personal data, and notifies everyone affected when it did.");

var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "SendGrid v3 mail/send bodies or queue envelopes (JSON)" };
var json = new Option<bool>("--json") { Description = "One JSON object per file per line" };
var scan = new Command("scan", "Inspect batch files and print the verdict of each") { files, json };
scan.SetAction(parse => ScanCommand.Run(parse.GetValue(files)!, parse.GetValue(json), Console.Out, Console.Error));
root.Subcommands.Add(scan);

return await root.Parse(args).InvokeAsync();
