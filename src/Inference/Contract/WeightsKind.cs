namespace AlexNet.Realtime.Inference.Contract;

/// <summary>Where a model's weights came from.</summary>
public enum WeightsKind
{
    /// <summary>Trained weights converted from a file.</summary>
    Pretrained,

    /// <summary>Deterministic random weights: the labels it prints mean nothing.</summary>
    Synthetic,
}
