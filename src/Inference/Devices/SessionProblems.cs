using Microsoft.ML.OnnxRuntime;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>
/// Why a session could not be had, in the user's terms: whose fault it is (the device's or the
/// model's) and, for CUDA, which library is missing. Used by <see cref="SessionFactory"/>.
/// </summary>
internal static class SessionProblems
{
    /// <summary>
    /// Whether ONNX Runtime loads the model on the CPU alone (no optimization, nothing run): the
    /// check that tells whose fault a failed GPU session is. A model the CPU loads was refused by
    /// the device (no CUDA device, a driver too old, out of GPU memory, a DirectML/D3D12 failure);
    /// one it does not load is the model's fault.
    /// </summary>
    /// <remarks>
    /// Checked rather than read from ONNX Runtime's message: the C# API keeps the error code in an
    /// internal enum (<c>OnnxRuntimeException</c> has no public code), the device failures share
    /// the generic codes with everything else, and the wording is the library's to change. Only a
    /// session that failed pays for the second load.
    /// </remarks>
    internal static bool LoadsWithoutDevice(string modelPath)
    {
        try
        {
            using var so = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
                IntraOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            using var session = new InferenceSession(modelPath, so);
            return true;
        }
        catch (OnnxRuntimeException)
        {
            return false;
        }
    }

    /// <summary>A failed session in words, blaming the device or the model as <see cref="LoadsWithoutDevice"/> found; ONNX Runtime's own first line says the rest.</summary>
    /// <param name="deviceAtFault">The device refused a model the CPU loads.</param>
    internal static string LoadProblem(string modelName, string device, string message, bool deviceAtFault) =>
        deviceAtFault
            ? $"{device}: ONNX Runtime could not run {modelName} on this device ({ErrorText.FirstLine(message)})"
            : $"{modelName}: ONNX Runtime cannot load it ({ErrorText.FirstLine(message)})";

    /// <summary>
    /// What stopped the CUDA provider, in the user's terms: ONNX Runtime's message for a missing
    /// CUDA or cuDNN library is a source path, an error code and the dlopen text; the library's
    /// name is what the user needs.
    /// </summary>
    internal static string CudaProblem(string message)
    {
        // No public API says which library a provider failed to load; the loader's words, which
        // ONNX Runtime passes on, are the only place its name is. This decides nothing: the
        // failure is CUDA's either way, and a message that does not match is said as it is.
        var missing = System.Text.RegularExpressions.Regex.Match(message, @"error: (?<library>[^\s:/]+\.so[.\d]*): cannot open shared object file");
        return missing.Success
            ? $"{missing.Groups["library"].Value} is missing: the CUDA build needs CUDA 13 and cuDNN 9 installed, and an NVIDIA driver"
            : ErrorText.FirstLine(message);
    }
}
