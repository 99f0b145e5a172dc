using System.Text;

namespace AlexNet.Realtime.Inference;

/// <summary>How a message is made fit for the one line every error gets on stderr.</summary>
public static class ErrorText
{
    /// <summary>The first line of a native library's or a tool's message (the rest is detail for a log).</summary>
    public static string FirstLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n')[0].Trim();
    }

    /// <summary>
    /// Escapes control characters (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\x1b</c>, ...). Messages
    /// carry names read from files (tensor names in a damaged pickle, file names): a newline in
    /// one would split the line, an escape sequence would drive the user's terminal.
    /// </summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // C0, DEL and C1 (U+0080..U+009F: U+009B is a one-character escape sequence to some terminals).
        if (!message.AsSpan().ContainsAnyInRange('\0', '\x1f') && !message.AsSpan().ContainsAnyInRange('\x7f', '\x9f'))
        {
            return message;
        }

        var text = new StringBuilder(message.Length + 8);
        foreach (var c in message)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }
}
