using System.CommandLine;
using MisSend.Cli;

var root = new RootCommand("Mis-send Detector: stops bulk e-mail that would leak personal data, and notifies everyone affected when it did.");
var verbose = new Option<bool>("--verbose") { Description = "Every log line (HttpClient's too), and a stack trace when something fails", Recursive = true };
root.Options.Add(verbose);

var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "SendGrid v3 mail/send bodies or queue envelopes (JSON)" };
var json = new Option<bool>("--json") { Description = "One JSON object per file per line" };
var scanJob = new Option<string?>("--job") { Description = "Judge every file as a chunk of this job, in the order given (files with the same envelope jobId are judged together anyway)" };
var scan = new Command("scan", "Inspect batch files and print the verdict of each; chunks of one job are judged together (exit 0 pass, 1 halt, 2 error)") { files, json, scanJob };
scan.SetAction(parse => ScanCommand.Run(parse.GetValue(files)!, parse.GetValue(json), Console.Out, Console.Error, job: parse.GetValue(scanJob)));
root.Subcommands.Add(scan);

var evalDirs = new Argument<string[]>("directories") { Arity = ArgumentArity.OneOrMore, Description = "Folders of labelled batches: pass-*.json / halt-*.json, or a labels.csv (file,label[,reason])" };
var eval = new Command("eval", "Score the detector on labelled batches: confusion table, recall, false-halt rate, every miss (exit 0 all met, 1 missed, 2 unreadable)") { evalDirs };
eval.SetAction(parse => EvalCommand.Run(parse.GetValue(evalDirs)!, Console.Out, Console.Error));
root.Subcommands.Add(eval);

var outbox = new Option<string>("--outbox") { Description = "Folder for the .eml files that would have gone to SendGrid", DefaultValueFactory = _ => "outbox" };
var demo = new Command("demo", "Run the whole pipeline locally on Azurite with the samples; mails go to an .eml outbox") { outbox };
demo.SetAction((parse, ct) => DemoCommand.RunAsync(parse.GetValue(outbox)!, Console.Out, ct));
root.Subcommands.Add(demo);

var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else Azurite on its standard ports, UseDevelopmentStorage=true, started from the repository when nobody runs it)" };
var runOutbox = new Option<string?>("--outbox") { Description = "Write mails as .eml files here (default: outbox/, unless SendGrid__ApiKey is set)" };
var port = new Option<int>("--port") { Description = "Port of the HTTP functions and the console on 127.0.0.1", DefaultValueFactory = _ => RunCommand.DefaultPort };
port.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 65535) r.AddError("--port must be between 1 and 65535"); });
var run = new Command("run", "Host the function app locally, like func start: the queue trigger, the notice timer every minute, and the HTTP functions with the operator console on http://127.0.0.1:7071/") { storage, runOutbox, port };
run.SetAction((parse, ct) => RunCommand.RunAsync(new RunCommand.Options(parse.GetValue(storage), parse.GetValue(runOutbox), parse.GetValue(port), parse.GetValue(verbose)), Console.Out, ct));
root.Subcommands.Add(run);

var enqueueFiles = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "SendGrid v3 mail/send bodies or queue envelopes (JSON)" };
var enqueueJob = new Option<string?>("--job") { Description = "Send the files as the chunks of this job, in the order given" };
var chunkSize = new Option<int?>("--chunk-size") { Description = "Split each body into envelopes of at most N personalizations (SendGrid takes 1000 per request)" };
chunkSize.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1 or > 1000) r.AddError("--chunk-size must be between 1 and 1000"); });
var enqueue = new Command("enqueue", "Put batches on the outbound queue, as a sender's batch builder does (claim-check blob for big bodies)") { enqueueFiles, enqueueJob, chunkSize, storage };
enqueue.SetAction((parse, ct) => EnqueueCommand.RunAsync(parse.GetValue(enqueueFiles)!, parse.GetValue(enqueueJob), parse.GetValue(chunkSize), parse.GetValue(storage), Console.Out, Console.Error, ct));
root.Subcommands.Add(enqueue);

var incidentId = new Argument<string>("incident") { Description = "Incident id, e.g. INC-0123456789AB" };
var language = new Option<string>("--lang") { Description = "ja or en", DefaultValueFactory = _ => "ja" };
language.AcceptOnlyFromAmong("ja", "en");
var reportJson = new Option<bool>("--json") { Description = "JSON instead of Markdown" };
var report = new Command("report", "Print an incident report (Markdown or JSON, ja/en)") { incidentId, language, reportJson, storage };
report.SetAction((parse, ct) => OperatorCommands.ReportAsync(parse.GetValue(incidentId)!, parse.GetValue(language)!, parse.GetValue(reportJson), parse.GetValue(storage), Console.Out, Console.Error, ct));
root.Subcommands.Add(report);

var job = new Option<string>("--job") { Description = "The job that leaked", Required = true };
var reason = new Option<string>("--reason") { Description = "What happened, in a sentence (recorded with who you are)", Required = true };
CommandLineChecks.NotBlank(job, reason);
var open = new Command("open", "Open an incident for a job that was already sent (customers phoned in)") { job, reason, storage };
open.SetAction((parse, ct) => OperatorCommands.OpenIncidentAsync(parse.GetValue(job)!.Trim(), parse.GetValue(reason)!.Trim(), parse.GetValue(storage), Console.Out, Console.Error, ct));
root.Subcommands.Add(new Command("incident", "Incident actions") { open });
IncidentCommands.AddTo(root);

return await CommandLineChecks.InvokeAsync(root, args, verbose, Console.Error);
