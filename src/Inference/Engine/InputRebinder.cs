using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Binds one input of an IO binding again, without a managed allocation: ONNX Runtime's C API
/// <c>BindInput</c> called with the input's name encoded once. Owns that native copy of the name.
/// </summary>
/// <remarks>
/// Why: ONNX Runtime copies a host value bound for a device's input to the device when it is
/// bound, not when the session runs (<c>IOBinding::BindInput</c>), so on DirectML a frame buffer
/// bound once would be classified with the pixels it held then. Binding it again before each run
/// is the per-frame upload; the managed <c>OrtIoBinding.BindInput</c> encodes the name each call
/// (34 bytes a frame measured), which the engine's frame path must not do.
/// </remarks>
internal sealed unsafe partial class InputRebinder : IDisposable
{
    // Positions in ONNX Runtime's OrtApi function table (onnxruntime_c_api.h); the table only ever
    // grows at its end, so they hold for every version that has them.
    private const int GetErrorMessageSlot = 2;
    private const int ReleaseStatusSlot = 93;
    private const int BindInputSlot = 136;

    // Any library from 1.16 on returns the table for this version; it has every function above.
    private const uint ApiVersion = 16;

    private static readonly Lazy<IntPtr> Api = new(LoadApi);
    private byte* _name;

    public InputRebinder(string inputName)
    {
        var bytes = Encoding.UTF8.GetBytes(inputName);
        _name = (byte*)NativeMemory.AllocZeroed((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(_name, bytes.Length));
    }

    /// <summary>Binds <paramref name="value"/> as the input again (on a device: copies it there now).</summary>
    public void Rebind(OrtIoBinding binding, OrtValue value)
    {
        ObjectDisposedException.ThrowIf(_name == null, this);
        var table = (IntPtr*)Api.Value;
        var bind = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr>)table[BindInputSlot];
        var status = bind(binding.DangerousGetHandle(), _name, HandleOf(value));
        if (status != IntPtr.Zero)
        {
            var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)table[GetErrorMessageSlot])(status)) ?? "unknown error";
            ((delegate* unmanaged<IntPtr, void>)table[ReleaseStatusSlot])(status);
            throw new InferenceException($"binding the frame: {message}");
        }
    }

    public void Dispose()
    {
        if (_name != null)
        {
            NativeMemory.Free(_name);
            _name = null;
        }
    }

    private static IntPtr LoadApi()
    {
        // OrtApiBase: { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(); }
        var apiBase = (IntPtr*)OrtGetApiBase();
        var api = ((delegate* unmanaged<uint, IntPtr>)apiBase[0])(ApiVersion);
        return api != IntPtr.Zero ? api : throw new InferenceException("ONNX Runtime's library did not give its C API table");
    }

    // OrtValue keeps its native handle internal; the accessor reads it without reflection.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Handle")]
    private static extern IntPtr HandleOf(OrtValue value);

    // The same native library the managed package loads ("onnxruntime", from the app's runtimes folder).
    [LibraryImport("onnxruntime")]
    private static partial IntPtr OrtGetApiBase();
}
