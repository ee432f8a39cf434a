using System.Data.Common;

namespace Cirt.Server.Storage;

/// <summary>What the query builders shared by the embedded and the cluster profile need of either database.</summary>
internal static class QuerySql
{
    /// <summary>Adds a parameter, as either provider's AddWithValue would (both read the '@' form).</summary>
    public static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>1 when every condition of <paramref name="conditions"/> holds, else 0 (1 when there are none): SQLite's conditions are integers already, PostgreSQL's are cast.</summary>
    public static string Matches(IReadOnlyList<string> conditions, SqlDialect dialect) =>
        conditions.Count == 0 ? "1"
        : dialect == SqlDialect.Sqlite ? string.Join(" AND ", conditions)
        : "(" + string.Join(" AND ", conditions) + ")::integer";
}
