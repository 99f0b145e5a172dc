using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>Binds one input of an IO binding again before each run, through ONNX Runtime's public API.</summary>
/// <remarks>
/// Why: ONNX Runtime copies a host value bound for a device's input to the device when it is
/// bound, not when the session runs (<c>IOBinding::BindInput</c>), so on DirectML a frame buffer
/// bound once would be classified with the pixels it held then. Binding it again before each run
/// is the per-frame upload. <see cref="OrtIoBinding.BindInput(string, OrtValue)"/> encodes the
/// name to UTF-8 on each call, a few dozen bytes a frame on this path alone (DirectML); that is
/// accepted rather than calling into ONNX Runtime's function table or its private members, which
/// a minor release could move without a word.
/// </remarks>
internal sealed class InputRebinder(string inputName)
{
    /// <summary>Binds <paramref name="value"/> as the input again (on a device: copies it there now).</summary>
    public void Rebind(OrtIoBinding binding, OrtValue value)
    {
        try
        {
            binding.BindInput(inputName, value);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"binding the frame: {ErrorText.FirstLine(e.Message)}", e);
        }
    }
}
