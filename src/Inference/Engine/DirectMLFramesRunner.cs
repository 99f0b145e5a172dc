namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// The bound-frames path on DirectML: frames are bound where they lie and bound again before each
/// run (<see cref="RebindingSlot"/> says why), and the session's graph is static: a frame shape
/// other than the one it was compiled for re-opens the session fixed to the new shape
/// (<see cref="EngineSession.Reopen"/>), dropping every slot bound on the old one.
/// </summary>
/// <remarks>Where the session has no static shape (the rebinding tried on the CPU in tests), any shape runs on the one session.</remarks>
internal sealed class DirectMLFramesRunner(EngineSession session, RunControl control, Answers answers)
    : BoundFramesRunner(session, control, answers)
{
    protected override InputSlot NewSlot(IntPtr data, int batch, int rows, int cols, OutputSet outputs) =>
        new RebindingSlot(Session.Session, Session.Contract.InputName, data, batch, rows, cols, outputs);

    protected override void BeforeSlot(int batch, int rows, int cols)
    {
        if (Session.StaticShape is not { } shape || shape == (batch, rows, cols))
        {
            return;
        }

        lock (Control.Lock)
        {
            DropSlots();
            Session.Reopen((batch, rows, cols));
        }
    }
}
