using System.Text.Json.Nodes;
using Cirt.Grains.Incidents;

namespace Cirt.Server.Stix;

/// <summary>
/// TLP in STIX: the TLP 2.0 marking definitions with their fixed OASIS ids (what we write), and
/// what we understand on import besides: the TLP 1.0 markings STIX 2.1 predefines (WHITE reads as
/// CLEAR), OpenCTI's own AMBER+STRICT statement marking, and MISP's "tlp:*" labels.
/// </summary>
public static class TlpMarkings
{
    /// <summary>The TLP 2.0 extension every TLP 2.0 marking definition carries.</summary>
    public const string Tlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    /// <summary>When the OASIS TLP 2.0 marking definitions were created: part of each fixed object.</summary>
    public const string Tlp2Created = "2022-10-01T00:00:00.000Z";

    /// <summary>OpenCTI's AMBER+STRICT marking (a statement marking: TLP 1.0 had no such level).</summary>
    public const string OpenCtiAmberStrict = "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37";

    private static readonly (Tlp Tlp, string Id, string Value)[] Tlp2 =
    [
        (Tlp.Clear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
        (Tlp.Green, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
        (Tlp.Amber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
        (Tlp.AmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
        (Tlp.Red, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
    ];

    private static readonly (Tlp Tlp, string Id, string Value)[] Tlp1 =
    [
        (Tlp.Clear, "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "white"),
        (Tlp.Green, "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green"),
        (Tlp.Amber, "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber"),
        (Tlp.Red, "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red"),
    ];

    /// <summary>The TLP 2.0 marking definition id of <paramref name="tlp"/>.</summary>
    public static string IdOf(Tlp tlp) => Tlp2.Single(m => m.Tlp == tlp).Id;

    /// <summary>The TLP 2.0 name, "TLP:AMBER+STRICT" and so on.</summary>
    public static string NameOf(Tlp tlp) => "TLP:" + Tlp2.Single(m => m.Tlp == tlp).Value.ToUpperInvariant();

    /// <summary>The level a TLP 2.0 marking definition id stands for, or null.</summary>
    public static Tlp? Tlp2Level(string id) => Tlp2.FirstOrDefault(m => m.Id == id) is { Id: not null } m ? m.Tlp : null;

    /// <summary>The tlp_2_0 value of a TLP 2.0 marking definition id ("amber+strict"), or null.</summary>
    public static string? Tlp2Value(string id) => Tlp2.FirstOrDefault(m => m.Id == id).Value;

    /// <summary>The level a TLP 1.0 marking definition id stands for (WHITE as CLEAR), or null.</summary>
    public static Tlp? Tlp1Level(string id) => Tlp1.FirstOrDefault(m => m.Id == id) is { Id: not null } m ? m.Tlp : null;

    /// <summary>The definition.tlp value of a TLP 1.0 marking definition id ("white"), or null.</summary>
    public static string? Tlp1Value(string id) => Tlp1.FirstOrDefault(m => m.Id == id).Value;

    /// <summary>
    /// The level any marking id we know stands for without seeing its object (TLP 2.0, TLP 1.0,
    /// OpenCTI's AMBER+STRICT), or null.
    /// </summary>
    public static Tlp? WellKnownLevel(string id) =>
        Tlp2Level(id) ?? Tlp1Level(id) ?? (id == OpenCtiAmberStrict ? Tlp.AmberStrict : null);

    /// <summary>
    /// The level a TLP name stands for, as labels and statements write it: "TLP:AMBER+STRICT",
    /// "tlp:amber", "TLP:WHITE" (as CLEAR); case-insensitive; null for anything else.
    /// </summary>
    public static Tlp? FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "tlp:clear" or "tlp:white" => Tlp.Clear,
        "tlp:green" => Tlp.Green,
        "tlp:amber" => Tlp.Amber,
        "tlp:amber+strict" => Tlp.AmberStrict,
        "tlp:red" => Tlp.Red,
        _ => null,
    };

    /// <summary>The OASIS TLP 2.0 marking definition object of <paramref name="tlp"/>, exactly as published.</summary>
    public static JsonObject Definition(Tlp tlp) => new()
    {
        ["type"] = "marking-definition",
        ["spec_version"] = "2.1",
        ["id"] = IdOf(tlp),
        ["created"] = Tlp2Created,
        ["name"] = NameOf(tlp),
        ["extensions"] = new JsonObject
        {
            [Tlp2Extension] = new JsonObject
            {
                ["extension_type"] = "property-extension",
                ["tlp_2_0"] = Tlp2.Single(m => m.Tlp == tlp).Value,
            },
        },
    };
}
