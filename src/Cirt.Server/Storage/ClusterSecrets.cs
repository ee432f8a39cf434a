using Npgsql;

namespace Cirt.Server.Storage;

/// <summary>
/// The secrets every silo of a cluster must share, in the table cluster_secret of PostgreSQL
/// (deploy/sql/postgresql/302-cluster-secret.sql): the page-token key, so a token one silo hands out
/// is resumed on any other, and the federation identity, so partners see one CIRT. The first silo to
/// need a secret creates it; silos starting at the same moment each offer theirs and all keep the
/// one the database took first. A secret is never replaced.
/// </summary>
public sealed class ClusterSecrets(PostgresDatabase database)
{
    /// <summary>The key signing page and TAXII next tokens (<see cref="Api.TokenSecret"/>).</summary>
    public const string PageTokenKey = "page-token-key";

    /// <summary>The federation signing key, ECDSA P-256, PKCS#8 PEM.</summary>
    public const string FederationSigningKey = "federation-signing-key";

    /// <summary>The secret keying the per-partner pseudonyms, base64.</summary>
    public const string FederationPseudonymSecret = "federation-pseudonym-secret";

    /// <summary>The secret named <paramref name="name"/>: the one stored, or <paramref name="create"/>'s, stored now when none was.</summary>
    public string ReadOrCreate(string name, Func<string> create)
    {
        using var connection = database.DataSource.OpenConnection();
        using (var offer = new NpgsqlCommand("INSERT INTO cluster_secret (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING;", connection))
        {
            offer.Parameters.AddWithValue("name", name);
            offer.Parameters.AddWithValue("value", create());
            offer.ExecuteNonQuery();
        }

        // A statement of its own: it sees the row whichever silo's insert committed first.
        using var read = new NpgsqlCommand("SELECT value FROM cluster_secret WHERE name = @name;", connection);
        read.Parameters.AddWithValue("name", name);
        return (string)read.ExecuteScalar()!;
    }
}
