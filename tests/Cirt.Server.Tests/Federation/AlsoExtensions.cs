namespace Cirt.Server.Tests.Federation;

public static class AlsoExtensions
{
    /// <summary>A copy of <paramref name="message"/> changed by <paramref name="change"/>: the original stays as it was.</summary>
    public static T Also<T>(this T message, Action<T> change) where T : Google.Protobuf.IDeepCloneable<T>
    {
        var copy = message.Clone();
        change(copy);
        return copy;
    }
}
