using AlexNet.Realtime.App.Output;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Engine;
using AlexNet.Realtime.Overlay;

namespace AlexNet.Realtime.App.Live;

/// <summary>What the overlay says about the engine (device, model, precision, the warnings), for the live loop and label's annotated frames alike.</summary>
internal static class OverlayModelInfo
{
    public static void Fill(OverlayState state, ClassifierEngine engine)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(engine);
        state.Device = engine.Device;
        state.Model = engine.ModelName;
        state.SyntheticWeights = engine.Contract.Weights == WeightsKind.Synthetic;
        state.Precision = ModelPrecision.Of(engine.Contract);
        state.PrecisionWarning = ModelPrecision.ForcedWarning(engine.Contract);
    }
}
