using AlexNet.Realtime.Inference;

namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// Runs a command and turns every failure into one line on stderr and an exit code, never a stack
/// trace: the one place where exceptions become exit codes, for both tools.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="ToolException"/> and its kinds: <c>tool: error: message</c>, the exception's own exit code.</item>
/// <item>The libraries' failures the tool names (<c>CaptureException</c>, <c>ModelContractException</c>, ...): the same line, <see cref="ExitCodes.Failed"/>.</item>
/// <item>What the tool's <c>explain</c> says a line for (a native library that does not load): that line, <see cref="ExitCodes.Failed"/>.</item>
/// <item><see cref="OperationCanceledException"/>: <c>tool: cancelled</c>, <see cref="ExitCodes.Cancelled"/>.</item>
/// <item><see cref="OutOfMemoryException"/>: <c>tool: error: out of memory</c>, <see cref="ExitCodes.InternalError"/>.</item>
/// <item>Anything else is a bug: <c>tool: internal error: Type: message</c>, <see cref="ExitCodes.InternalError"/>;
/// the stack trace follows only with <c>ALEXNET_RT_DEBUG=1</c>.</item>
/// </list>
/// </remarks>
public sealed class ErrorGuard
{
    /// <summary>Set to 1, an internal error is followed by its stack trace.</summary>
    public const string DebugVariable = "ALEXNET_RT_DEBUG";

    private readonly string _tool;
    private readonly Type[] _failures;
    private readonly Func<Exception, string?>? _explain;

    /// <param name="tool">The tool's name, the prefix of every line (<c>alexnet-rt</c>).</param>
    /// <param name="failures">
    /// The libraries' exception types whose messages are written for the user (bad input, a device
    /// that can't be used), subclasses included; each ends the run with <see cref="ExitCodes.Failed"/>.
    /// </param>
    /// <param name="explain">The one line for an exception the tool recognizes otherwise, or null for the rest.</param>
    public ErrorGuard(string tool, IEnumerable<Type> failures, Func<Exception, string?>? explain = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        ArgumentNullException.ThrowIfNull(failures);
        _tool = tool;
        _failures = [.. failures];
        _explain = explain;
    }

    /// <summary>The command's own exit code, or the failure's.</summary>
    public int Run(Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (ToolException e)
        {
            Say($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (IsFailure(e))
        {
            Say($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (_explain?.Invoke(e) is { } line)
        {
            Say($"error: {line}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            Say("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (OutOfMemoryException)
        {
            Say("error: out of memory");
            return ExitCodes.InternalError;
        }
        catch (Exception e)
        {
            Say($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
            {
                Console.Error.WriteLine(e);
            }

            return ExitCodes.InternalError;
        }
    }

    private bool IsFailure(Exception e) => Array.Exists(_failures, type => type.IsInstanceOfType(e));

    private void Say(string line) => Console.Error.WriteLine($"{_tool}: {ErrorText.OneLine(line)}");
}
