namespace Cirt.Server.Storage;

/// <summary>Multi-valued read-model columns: "|a|b|", so that instr(column, '|a|') finds a whole entry.</summary>
internal static class ListColumn
{
    public static string Encode(IEnumerable<string> values) => "|" + string.Join("|", values) + "|";

    public static string[] Decode(string column) => column.Split('|', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The needle for instr(): the entry between delimiters.</summary>
    public static string Entry(string value) => "|" + value + "|";
}
