using System.CommandLine;

namespace AlexNet.Realtime.CommandLine;

/// <summary>How both tools parse their command lines: as System.CommandLine does, without response files.</summary>
/// <remarks>
/// System.CommandLine reads any argument starting with <c>@</c> as a response file by default, so
/// an image named <c>@x.jpg</c> was refused as "Response file not found 'x.jpg'" and, worse, an
/// existing file of that name would have been read as more arguments. Neither tool documents
/// response files; every argument is taken as given.
/// </remarks>
public static class ToolCommandLine
{
    /// <summary>Parses <paramref name="args"/> for <paramref name="root"/>, each <c>@name</c> a name like any other.</summary>
    public static ParseResult Parse(Command root, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        return root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
    }
}
