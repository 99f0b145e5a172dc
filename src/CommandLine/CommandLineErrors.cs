using System.CommandLine;
using System.CommandLine.Parsing;
using AlexNet.Realtime.Inference;

namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// Command-line mistakes as the one line every other failure gets (System.CommandLine's own
/// report is a line per mistake, unprefixed, with .NET type names, and the whole help on stdout).
/// </summary>
public static class CommandLineErrors
{
    private static readonly (string DotNet, string Plain)[] TypeNames =
    [
        ("as expected type 'System.Int32'", "as a whole number"),
        ("as expected type 'System.Int64'", "as a whole number"),
        ("as expected type 'System.Double'", "as a number"),
        ("as expected type 'System.Boolean'", "as true or false"),
    ];

    /// <summary>Runs the command, or says in one line (<see cref="ExitCodes.Failed"/>) what is wrong with the command line.</summary>
    public static int Invoke(string tool, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.Errors.Count == 0)
        {
            return parse.Invoke();
        }

        Console.Error.WriteLine(OneLine(tool, parse));
        return ExitCodes.Failed;
    }

    public static string OneLine(string tool, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        // Some messages are lists on lines of their own ("Must be one of:\n\t'auto'\n\t'paper'"):
        // one line reads them as well.
        var messages = parse.Errors.Select(e => System.Text.RegularExpressions.Regex.Replace(
            TypeNames.Aggregate(e.Message, (m, t) => m.Replace(t.DotNet, t.Plain, StringComparison.Ordinal)), @"\s*\n\s*", " "));
        return ErrorText.OneLine($"{tool}: error: {string.Join(" ", messages)} ('{CommandPath(tool, parse.CommandResult)} --help' shows the usage)");
    }

    /// <summary>"tool sub": the root command is named as the tool (its own name is the host's file name).</summary>
    private static string CommandPath(string tool, CommandResult command)
    {
        var names = new List<string>();
        for (var at = command; at.Parent is CommandResult parent; at = parent)
        {
            names.Add(at.Command.Name);
        }

        names.Add(tool);
        names.Reverse();
        return string.Join(' ', names);
    }
}
