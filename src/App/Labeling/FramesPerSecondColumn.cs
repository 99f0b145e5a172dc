using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AlexNet.Realtime.App.Labeling;

/// <summary>A progress column showing a task's speed as frames/s.</summary>
internal sealed class FramesPerSecondColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(task.Speed is { } speed ? string.Create(CultureInfo.InvariantCulture, $"{speed,7:0.0} frames/s") : "       - frames/s", new Style(Color.Grey));
}
