namespace Cirt.Grains.Security;

[GenerateSerializer]
[Alias("cirt.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)]
    public ApiKeyInfo? Info { get; set; }

    [Id(1)]
    public string SecretHash { get; set; } = "";
}
