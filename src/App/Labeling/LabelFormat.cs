namespace AlexNet.Realtime.App.Labeling;

internal enum LabelFormat
{
    Jsonl,
    Csv,
}
