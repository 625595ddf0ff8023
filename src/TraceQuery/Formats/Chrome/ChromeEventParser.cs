using System.Globalization;
using System.Text.Json;
using TraceQuery.Formats.Internals;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// One Chrome trace event as read, before anything depends on the records before it: what
/// <see cref="ChromeEventParser.Parse"/> takes out of the JSON and <see cref="ChromeEventCollector.Apply"/> maps onto the
/// collector's state (pairing, thread numbering, string pids, request ids, counters). Keeping the two apart lets chunks of
/// the event array be parsed on all cores and applied in file order (<see cref="ChromeChunkedEvents"/>).
/// </summary>
internal struct ChromeRecord
{
    /// <summary>Where the event's bytes start in the input, and how many there are (for V8 CPU profile records).</summary>
    public long Offset;
    public int Length;

    /// <summary>Where the (last) <c>ph</c> value starts; where an end before its start is reported.</summary>
    public long PhaseOffset;

    /// <summary>The phase: its one character, <c>'\0'</c> when absent or empty, <c>'?'</c> when longer.</summary>
    public char Phase;
    public string? Name;
    public string? Cat;
    public string? Id;
    public string? Scope;
    public string? BindId;
    public string? BindingPoint;
    public ulong Ts;
    public ulong Dur;
    public bool HasTs;
    public bool HasDur;
    public bool FlowIn;
    public bool FlowOut;
    public bool LocalId;
    public long Pid;
    public long Tid;

    /// <summary>Index into <see cref="Texts"/> of the pid (tid) when it was a string that is not a number; −1 otherwise.</summary>
    public int PidText;
    public int TidText;

    /// <summary>
    /// What needs the records before it, in the order it was read: phases longer than one character (counted as skipped,
    /// marked with a leading <c>'\u0001'</c>) and string pids and tids (numbered by first appearance in the file).
    /// </summary>
    public List<string>? Texts;

    /// <summary>The args as attributes (null when none or for metadata), and what <see cref="ChromeArgs"/> picked out of them.</summary>
    public KeyValuePair<string, string>[]? Items;
    public (string Key, double Value)[]? Numbers;
    public string? ArgsError;
    public string? ArgsName;
    public string? ArgsLabels;
    public long Samples;
}

/// <summary>
/// Reads one event into a <see cref="ChromeRecord"/> without touching any collector's state. One instance per thread:
/// its buffers and interned strings are reused from event to event.
/// </summary>
internal sealed class ChromeEventParser(FunctionNames strings)
{
    /// <summary>Marks a skipped phase's text in <see cref="ChromeRecord.Texts"/>.</summary>
    public const char PhaseMark = '\u0001';

    private readonly ChromeArgs _args = new(strings);
    private char[] _chars = new char[256];

    /// <summary>
    /// Reads one event with <paramref name="v"/> (positioned before its opening brace; left after its closing one);
    /// <paramref name="offset"/> and <paramref name="length"/> are where its bytes are in the input.
    /// </summary>
    public void Parse(ref JsonValues v, long offset, int length, out ChromeRecord e)
    {
        e = default;
        e.Offset = offset;
        e.Length = length;
        e.PhaseOffset = offset;
        e.PidText = -1;
        e.TidText = -1;
        v.ExpectObject();
        _args.Reset();
        while (v.NextProperty())
        {
            ref var r = ref v.Reader;
            if (r.ValueTextEquals("ph"u8))
            {
                e.PhaseOffset = v.Offset;
                var text = v.Chars("ph", ref _chars);
                e.Phase = text.Length == 1 ? text[0] : text.Length == 0 ? '\0' : '?';
                if (e.Phase == '?')
                    (e.Texts ??= []).Add(PhaseMark + strings.Intern(text));
            }
            else if (r.ValueTextEquals("name"u8))
                e.Name = strings.Intern(v.Chars("name", ref _chars));
            else if (r.ValueTextEquals("cat"u8))
                e.Cat = strings.Intern(v.Chars("cat", ref _chars));
            else if (r.ValueTextEquals("ts"u8))
            {
                e.Ts = v.Microseconds("ts");
                e.HasTs = true;
            }
            else if (r.ValueTextEquals("dur"u8))
            {
                e.Dur = v.Microseconds("dur");
                e.HasDur = true;
            }
            else if (r.ValueTextEquals("pid"u8))
                e.Pid = ProcessOrThreadId(ref v, "pid", ref e, out e.PidText);
            else if (r.ValueTextEquals("tid"u8))
                e.Tid = ProcessOrThreadId(ref v, "tid", ref e, out e.TidText);
            else if (r.ValueTextEquals("id"u8))
                e.Id = IdText(ref v, "id");
            else if (r.ValueTextEquals("id2"u8))
                e.Id = Id2Text(ref v, out e.LocalId);
            else if (r.ValueTextEquals("scope"u8))
                e.Scope = v.String("scope");
            else if (r.ValueTextEquals("bind_id"u8))
                e.BindId = IdText(ref v, "bind_id");
            else if (r.ValueTextEquals("flow_in"u8))
                e.FlowIn = Flag(ref v);
            else if (r.ValueTextEquals("flow_out"u8))
                e.FlowOut = Flag(ref v);
            else if (r.ValueTextEquals("bp"u8))
                e.BindingPoint = v.String("bp");
            else if (r.ValueTextEquals("args"u8))
                _args.Read(ref v);
            else
                v.Skip();
        }
        e.ArgsName = _args.Name;
        e.ArgsLabels = _args.Labels;
        e.ArgsError = _args.Error;
        e.Samples = _args.Samples;
        if (e.Phase is '?' or 'M' or '\0')
            return;
        e.Items = _args.TakeItems();
        if (e.Phase == 'C' && _args.Numbers.Count > 0)
            e.Numbers = [.. _args.Numbers];
    }

    private static bool Flag(ref JsonValues v)
    {
        v.Value();
        return v.Reader.TokenType == JsonTokenType.True;
    }

    /// <summary>pid and tid are numbers in most files; a string that is not a number is kept (numbered at apply, by first appearance).</summary>
    private static long ProcessOrThreadId(ref JsonValues v, string field, ref ChromeRecord e, out int text)
    {
        text = -1;
        v.Value();
        var r = v.Reader;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt64(out long value))
                return value;
            throw v.Error($"'{field}' must be an integer");
        }
        if (r.TokenType == JsonTokenType.String)
        {
            string s = v.Text(field);
            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
                return parsed;
            (e.Texts ??= []).Add(s);
            text = e.Texts.Count - 1;
            return 0;
        }
        if (r.TokenType == JsonTokenType.Null)
            return 0;
        throw v.Error($"'{field}' must be a number or a string, not {JsonValues.Describe(r.TokenType)}");
    }

    private static string IdText(ref JsonValues v, string field)
    {
        v.Value();
        var r = v.Reader;
        return r.TokenType switch
        {
            JsonTokenType.String => v.Text(field),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(r.ValueSpan),
            JsonTokenType.Null => "",
            _ => throw v.Error($"'{field}' must be a string or a number, not {JsonValues.Describe(r.TokenType)}"),
        };
    }

    private static string Id2Text(ref JsonValues v, out bool local)
    {
        local = false;
        v.Value();
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"'id2' must be an object with 'local' or 'global', not {JsonValues.Describe(v.Reader.TokenType)}");
        string text = "";
        while (v.NextProperty())
        {
            bool isLocal = v.Reader.ValueTextEquals("local"u8);
            bool isGlobal = v.Reader.ValueTextEquals("global"u8);
            if (isLocal || isGlobal)
            {
                local = isLocal;
                text = (isLocal ? "local:" : "global:") + IdText(ref v, "id2");
            }
            else
            {
                v.Skip();
            }
        }
        return text;
    }
}
