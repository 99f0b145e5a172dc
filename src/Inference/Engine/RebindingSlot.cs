using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// DirectML's frames: bound where they lie, as on the CPU, and bound again before each run.
/// </summary>
/// <remarks>
/// Why: ONNX Runtime copies a host value bound for a device's input to the device when it is
/// bound, not when the session runs (<c>IOBinding::BindInput</c>), so on DirectML a frame buffer
/// bound once would be classified with the pixels it held then. Binding it again before each run
/// is the per-frame upload. <see cref="OrtIoBinding.BindInput(string, OrtValue)"/> encodes the
/// name to UTF-8 on each call, a few dozen bytes a frame on this path alone (DirectML; the CPU's
/// hot path stays free of allocation). That is accepted rather than calling into ONNX Runtime's
/// function table or reading its private members, which a minor release could move without a word.
/// </remarks>
internal sealed class RebindingSlot(InferenceSession session, string inputName, IntPtr data, int batch, int rows, int cols, OutputSet outputs)
    : HostFramesSlot(session, inputName, data, batch, rows, cols, outputs)
{
    /// <summary>Binds the frames as the input again (on a device: copies them there now).</summary>
    public override void BeforeRun(IntPtr data)
    {
        try
        {
            Binding.BindInput(InputName, Value);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"binding the frame: {ErrorText.FirstLine(e.Message)}", e);
        }
    }
}
