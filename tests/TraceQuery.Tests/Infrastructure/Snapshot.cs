using System.Runtime.CompilerServices;
using System.Text;

namespace TraceQuery.Tests.Infrastructure;

/// <summary>
/// Approval testing in Verify's conventions, so that moving to Verify later is mechanical:
/// <c>{Class}.{Method}.verified.txt</c> (or <c>{Class}.{Method}_{name}.verified.txt</c>) beside the test file;
/// a mismatch writes <c>.received.txt</c> and fails with a line diff. Set <c>TRACEQUERY_ACCEPT_SNAPSHOTS=1</c>
/// to accept received output as verified; it is refused when <c>CI=true</c>, so CI never auto-accepts.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "TRACEQUERY_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, string? name = null, [CallerFilePath] string sourceFile = "", [CallerMemberName] string method = "") =>
        VerifyCore(actual, name, sourceFile, method, AcceptRequested());

    /// <summary>True when the environment asks to accept received output (never under CI).</summary>
    public static bool AcceptRequested() =>
        Environment.GetEnvironmentVariable(AcceptVariable) == "1"
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    internal static void VerifyCore(string actual, string? name, string sourceFile, string method, bool accept)
    {
        string directory = Path.GetDirectoryName(sourceFile)!;
        string baseName = Path.GetFileNameWithoutExtension(sourceFile) + "." + method + (name is null ? "" : "_" + name);
        string verifiedPath = Path.Combine(directory, baseName + ".verified.txt");
        string receivedPath = Path.Combine(directory, baseName + ".received.txt");
        string normalized = Normalize(actual);

        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        if (accept)
        {
            File.WriteAllText(verifiedPath, normalized, new UTF8Encoding(false));
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized, new UTF8Encoding(false));
        var message = new StringBuilder();
        message.Append("Snapshot mismatch for ").Append(baseName).AppendLine(".");
        message.Append("Received: ").AppendLine(receivedPath);
        if (verified is null)
        {
            message.Append("No verified file exists yet at ").AppendLine(verifiedPath);
            message.AppendLine(Head(normalized, 40));
        }
        else
        {
            message.AppendLine("Diff (- verified, + received):");
            message.Append(LineDiff.Render(verified, normalized, 60));
        }
        message.Append("If the new output is right, rename the .received.txt to .verified.txt or rerun with ").Append(AcceptVariable).AppendLine("=1.");
        Assert.Fail(message.ToString());
    }

    private static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.EndsWith('\n') ? text : text + "\n";
    }

    private static string Head(string text, int lines) =>
        string.Join('\n', text.Split('\n').Take(lines));
}

/// <summary>A small line diff (longest common subsequence) for snapshot failure messages.</summary>
internal static class LineDiff
{
    public static string Render(string expected, string actual, int maxLines)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        if ((long)a.Length * b.Length > 4_000_000)
            return $"(texts too long to diff: {a.Length} vs {b.Length} lines)\n";
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var output = new StringBuilder();
        int shown = 0, x = 0, y = 0;
        while ((x < a.Length || y < b.Length) && shown < maxLines)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                output.Append("+ ").Append(y + 1).Append(": ").AppendLine(b[y++]);
                shown++;
            }
            else
            {
                output.Append("- ").Append(x + 1).Append(": ").AppendLine(a[x++]);
                shown++;
            }
        }
        if (shown >= maxLines)
            output.AppendLine("… (diff cut)");
        return output.ToString();
    }
}
