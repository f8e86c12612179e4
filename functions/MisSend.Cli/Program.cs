using System.CommandLine;
using MisSend.Cli;

var root = new RootCommand("Mis-send Detector: stops bulk e-mail that would leak personal data, and notifies everyone affected when it did.");

var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "SendGrid v3 mail/send bodies or queue envelopes (JSON)" };
var json = new Option<bool>("--json") { Description = "One JSON object per file per line" };
var scan = new Command("scan", "Inspect batch files and print the verdict of each (exit 0 pass, 1 halt, 2 error)") { files, json };
scan.SetAction(parse => ScanCommand.Run(parse.GetValue(files)!, parse.GetValue(json), Console.Out, Console.Error));
root.Subcommands.Add(scan);

var outbox = new Option<string>("--outbox") { Description = "Folder for the .eml files that would have gone to SendGrid", DefaultValueFactory = _ => "outbox" };
var demo = new Command("demo", "Run the whole pipeline locally on Azurite with the samples; mails go to an .eml outbox") { outbox };
demo.SetAction((parse, ct) => DemoCommand.RunAsync(parse.GetValue(outbox)!, Console.Out, ct));
root.Subcommands.Add(demo);

return await root.Parse(args).InvokeAsync();
