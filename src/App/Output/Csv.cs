using System.Text;

namespace AlexNet.Realtime.App.Output;

/// <summary>Splits one RFC 4180 CSV line (a quote opens a quoted field only at its start); neutralizes text for spreadsheets (OWASP's rule) and back.</summary>
internal static class Csv
{
    /// <summary>
    /// Text a spreadsheet would take for a formula (it begins with <c>= + - @</c>, a tab or a
    /// carriage return) gets a leading single quote; so does text that begins with one, so that
    /// <see cref="Unneutralize"/> can always take the first quote off.
    /// </summary>
    public static string Neutralize(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + text : text;

    /// <summary>The text <see cref="Neutralize"/> was given.</summary>
    public static string Unneutralize(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;

    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
