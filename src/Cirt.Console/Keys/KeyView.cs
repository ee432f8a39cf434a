using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Keys;

public static class KeyView
{
    public static string Describe(ApiKey key) =>
        $"{key.Name} ({Words.Of(key.Role)}{(key.StakeholderId.Length > 0 ? " for " + key.StakeholderId : "")}{(key.PartnerId.Length > 0 ? " for partner " + key.PartnerId : "")}), key {key.KeyId}";

    public static Table Table(IEnumerable<ApiKey> keys)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Key id").NoWrap()).AddColumn("Name").AddColumn("Role").AddColumn("For")
            .AddColumn(new TableColumn("Issued").NoWrap()).AddColumn("By").AddColumn(new TableColumn("Revoked").NoWrap())
            .Optional("By", "Issued");
        foreach (var k in keys)
        {
            table.AddRow(
                Markup.Escape(k.KeyId), Markup.Escape(k.Name), Words.Of(k.Role),
                Markup.Escape(k.StakeholderId.Length > 0 ? k.StakeholderId : k.PartnerId.Length > 0 ? "partner " + k.PartnerId : "-"),
                Times.Of(k.IssuedAt), Markup.Escape(k.IssuedBy),
                k.RevokedAt is null ? "-" : $"[red]{Times.Of(k.RevokedAt)}[/] by {Markup.Escape(k.RevokedBy)}");
        }

        return table;
    }
}
