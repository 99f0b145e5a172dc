namespace AlexNet.Realtime.App.Commands;

/// <summary>Ctrl-C (and SIGTERM) as a cancellation token, so loops stop cleanly: threads joined, files finalized.</summary>
internal sealed class Cancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly System.Runtime.InteropServices.PosixSignalRegistration? _sigterm;

    public Cancellation()
    {
        Console.CancelKeyPress += OnCancel;
        _sigterm = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _source.Cancel();
            });
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _sigterm?.Dispose();
        _source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _source.Cancel();
    }
}
