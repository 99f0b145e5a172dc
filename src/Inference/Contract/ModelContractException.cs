namespace AlexNet.Realtime.Inference.Contract;

/// <summary>A model file whose contract is missing or unusable.</summary>
public sealed class ModelContractException : Exception
{
    public ModelContractException(string message) : base(message) { }

    public ModelContractException(string message, Exception inner) : base(message, inner) { }

    public ModelContractException() { }
}
