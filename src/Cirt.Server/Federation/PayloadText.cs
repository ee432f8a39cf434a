namespace Cirt.Server.Federation;

/// <summary>One free-text field of a payload, by its path ("summary", "timeline[4].text"), and how to replace it.</summary>
public sealed record PayloadText(string Field, string Text, Action<string> Replace);
