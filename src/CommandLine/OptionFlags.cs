using System.Globalization;

namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// Which flag of a tool sets which property of a library's options. The options check each value
/// as it is set and throw <see cref="ArgumentException"/> in the library's words, naming the
/// property (<c>Width</c>); <see cref="Build{TOptions}"/> says that as the flag the user typed
/// (<c>--width must be 0 or more, got -5</c>). Each tool keeps one table of these.
/// </summary>
public sealed class OptionFlags
{
    private readonly Dictionary<(Type Options, string Property), (string Flag, string Rule)> _flags = [];

    /// <summary>The <paramref name="property"/> of <typeparamref name="TOptions"/> is set by <paramref name="flag"/>.</summary>
    /// <param name="rule">What the flag takes, as the line says it: <c>must be 0 or more</c>.</param>
    public OptionFlags Add<TOptions>(string property, string flag, string rule)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        ArgumentException.ThrowIfNullOrEmpty(flag);
        ArgumentException.ThrowIfNullOrEmpty(rule);
        _flags.Add((typeof(TOptions), property), (flag, rule));
        return this;
    }

    /// <summary>Builds the options; a value they refuse becomes a <see cref="ToolException"/> naming its flag.</summary>
    /// <exception cref="ToolException">A property with a flag refused its value.</exception>
    /// <remarks>
    /// A refused property with no flag here is not the user's doing (the tool set it itself): its
    /// <see cref="ArgumentException"/> goes on, an internal error.
    /// </remarks>
    public TOptions Build<TOptions>(Func<TOptions> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            return build();
        }
        catch (ArgumentException e) when (Line<TOptions>(e) is { } line)
        {
            throw new ToolException(line, e);
        }
    }

    /// <summary>The flag's line for an exception <typeparamref name="TOptions"/> threw, or null when no flag sets that property.</summary>
    public string? Line<TOptions>(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.ParamName is null || !_flags.TryGetValue((typeof(TOptions), e.ParamName), out var flag))
        {
            return null;
        }

        return e is ArgumentOutOfRangeException { ActualValue: { } value }
            ? string.Create(CultureInfo.InvariantCulture, $"{flag.Flag} {flag.Rule}, got {value}")
            : $"{flag.Flag} {flag.Rule}";
    }
}
