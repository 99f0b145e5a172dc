namespace AlexNet.Realtime.Inference;

/// <summary>A problem the user can act on (a device that can't be had, a frame that can't be used), said in one line.</summary>
public class InferenceException : Exception
{
    public InferenceException(string message) : base(message) { }

    public InferenceException(string message, Exception inner) : base(message, inner) { }

    public InferenceException() { }
}
