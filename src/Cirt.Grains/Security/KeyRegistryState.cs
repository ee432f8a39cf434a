namespace Cirt.Grains.Security;

[GenerateSerializer]
[Alias("cirt.KeyRegistryState")]
public sealed class KeyRegistryState
{
    [Id(0)]
    public Dictionary<string, ApiKeyInfo> Keys { get; set; } = new(StringComparer.Ordinal);
}
