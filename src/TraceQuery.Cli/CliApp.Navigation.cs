using System.CommandLine;
using System.Text.Json.Nodes;
using TraceQuery.Protocol;

namespace TraceQuery.Cli;

/// <summary>The navigation commands: around (server method search.scoped) and plan (plan.keySymbols).</summary>
internal static partial class CliApp
{
    private static Command AroundCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var common = new AnswerOptions();
        var anchor = new Option<string>("--anchor", "-a")
        {
            Description = "span:<id>, event:<thread>:<seq> (e.g. a crash quoted by 'summary'), sample:<index> (a stack sample), or a time since the trace's first event such as 1.5ms.",
            Required = true,
        };
        var back = new Option<string?>("--back") { Description = "How far before the anchor to look (1ms, 250us, …). Default: from the anchor span's duration and its thread's event rate." };
        var ahead = new Option<string?>("--ahead") { Description = "How far after the anchor (after its end, for a span) to look. Default: as for --back." };
        var filter = new Option<string?>("--filter", "-f") { Description = FilterHelp + " The anchor is always shown." };
        var noDetail = new Option<bool>("--no-detail") { Description = "Leave out detail records (arguments, return values, registers)." };
        var command = new Command("around", "What happened around an anchor on every thread, in time order, within a token budget (server method search.scoped).");
        command.Options.Add(anchor);
        command.Options.Add(back);
        command.Options.Add(ahead);
        command.Options.Add(filter);
        command.Options.Add(noDetail);
        common.AddTo(command);
        command.SetAction(result => Guard(error, () => Answer(result, common, TraceQueryMethods.SearchScoped, output, error, showProgress,
            ("anchor", result.GetValue(anchor)), ("back", result.GetValue(back)), ("ahead", result.GetValue(ahead)),
            ("filter", result.GetValue(filter)), ("detail", result.GetValue(noDetail) ? false : null))));
        return command;
    }

    private static Command PlanCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var common = new AnswerOptions();
        var symptom = new Argument<string>("symptom") { Description = "The symptom in plain words, e.g. \"hang when saving the journal\"." };
        var modules = new Option<string[]>("--module") { Description = "A module you suspect (file name or part of it); repeat for more." };
        var functions = new Option<string[]>("--function") { Description = "A function you suspect; repeat for more." };
        var files = new Option<string[]>("--file") { Description = "A source file you suspect (header_parser.c); repeat for more." };
        var topK = new Option<int>("--top-k", "-k") { Description = "How many functions to rank.", DefaultValueFactory = _ => 10 };
        var command = new Command("plan", "Rank the functions that matter for a symptom, with reasons and per-module function sets to trace next time (server method plan.keySymbols).");
        common.AddTo(command);
        command.Arguments.Add(symptom);
        command.Options.Add(modules);
        command.Options.Add(functions);
        command.Options.Add(files);
        command.Options.Add(topK);
        command.SetAction(result => Guard(error, () => Answer(result, common, TraceQueryMethods.PlanKeySymbols, output, error, showProgress,
            ("symptom", result.GetValue(symptom)), ("modules", Strings(result.GetValue(modules))), ("functions", Strings(result.GetValue(functions))),
            ("files", Strings(result.GetValue(files))), ("top_k", result.GetValue(topK)))));
        return command;
    }

    private static JsonArray? Strings(string[]? values) =>
        values is null || values.Length == 0 ? null : new JsonArray([.. values.Select(v => (JsonNode?)v)]);
}
