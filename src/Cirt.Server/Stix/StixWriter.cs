using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Stix;

/// <summary>
/// A shared advisory or incident (the wire payload partners receive, <see cref="Federation.SharedItems"/>)
/// as a STIX 2.1 bundle for MISP, OpenCTI and TheHive.
/// <list type="bullet">
/// <item>The origin CIRT (payload.origin) is an <c>identity</c> and the <c>created_by_ref</c> of every object.</item>
/// <item>The item's TLP is the OASIS TLP 2.0 marking definition, included, in <c>object_marking_refs</c> of every object.</item>
/// <item>An advisory is a <c>report</c> (name, description = summary, published) referring to: a
/// <c>vulnerability</c> per CVE (external reference source "cve"; the CVSS base score in
/// <c>x_cirt_cvss_score</c> and in words in the description), an <c>indicator</c> per indicator (a
/// STIX pattern of one equality), a <c>course-of-action</c> per recommended action, and a
/// <c>relationship</c> "mitigates" from each course of action to each vulnerability.</item>
/// <item>An incident is an <c>incident</c> with the Incident Core extension (determination,
/// investigation status, criticality from our status and severity) and its RSIT class as a label,
/// plus its indicators, each "related-to" the incident, in a <c>report</c>: MISP's importer drops
/// incident objects but keeps reports.</item>
/// </list>
/// Ids are derived from the origin instance, the item id and the object, so exporting a later
/// version of the item gives the same objects with a later <c>modified</c>. Every bundle written
/// passes <see cref="StixValidator"/> in <see cref="StixValidationMode.Export"/>, or this throws.
/// </summary>
public static class StixWriter
{
    /// <summary>The Incident Core extension (OASIS CTI, version 2.0).</summary>
    public const string IncidentCoreExtension = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

    /// <summary>When a CIRT's identity object counts as created: fixed, so that every bundle carries the same version of it.</summary>
    public const string IdentityCreated = "2020-01-01T00:00:00.000Z";

    /// <summary>The longest name we give an indicator or course of action; the whole text is in its pattern or description.</summary>
    private const int NameLength = 120;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The bundle of <paramref name="payload"/>'s advisory or incident, as it stood at
    /// <paramref name="modified"/>; <paramref name="created"/> is when the item was first written.
    /// </summary>
    /// <exception cref="ArgumentException">The payload carries no origin, or neither an advisory nor an incident.</exception>
    public static string Write(Proto.FederatedPayload payload, DateTimeOffset created, DateTimeOffset modified)
    {
        var origin = payload.Origin;
        if (origin is null || origin.InstanceId.Length == 0 || origin.ItemId.Length == 0)
        {
            throw new ArgumentException("A payload written as STIX needs its origin: the instance and the item id.", nameof(payload));
        }

        var bundle = new Bundle(origin, created, modified > created ? modified : created, payload.ItemCase switch
        {
            Proto.FederatedPayload.ItemOneofCase.Advisory => CommonMapping.ToDomain(payload.Advisory.Tlp),
            Proto.FederatedPayload.ItemOneofCase.Incident => CommonMapping.ToDomain(payload.Incident.Tlp),
            _ => throw new ArgumentException($"A {payload.ItemCase} payload has no STIX form; advisories and incidents have.", nameof(payload)),
        });
        if (payload.ItemCase == Proto.FederatedPayload.ItemOneofCase.Advisory)
        {
            bundle.Advisory(payload.Advisory);
        }
        else
        {
            bundle.Incident(payload.Incident);
        }

        var json = bundle.ToJson();
        var violations = StixValidator.Validate(json, StixValidationMode.Export);
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("The STIX bundle written breaks the rules: " + string.Join("; ", violations.Take(10)));
        }

        return json;
    }

    /// <summary>The objects of one bundle, and what they all share: creator, marking, times, id space.</summary>
    private sealed class Bundle
    {
        private readonly Proto.ItemOrigin _origin;
        private readonly string _created;
        private readonly string _modified;
        private readonly Tlp _tlp;
        private readonly string _identityId;
        private readonly List<JsonObject> _objects = [];
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

        public Bundle(Proto.ItemOrigin origin, DateTimeOffset created, DateTimeOffset modified, Tlp tlp)
        {
            if (tlp is < Tlp.Clear or > Tlp.Red)
            {
                throw new ArgumentException($"An item without a TLP ({tlp}) cannot be written as STIX.", nameof(tlp));
            }

            _origin = origin;
            _created = StixTime.Format(created);
            _modified = StixTime.Format(modified);
            _tlp = tlp;
            _identityId = StixIds.Derive("identity", origin.InstanceId, "", "identity");
            _objects.Add(TlpMarkings.Definition(tlp));
            _objects.Add(new JsonObject
            {
                ["type"] = "identity",
                ["spec_version"] = "2.1",
                ["id"] = _identityId,
                ["created"] = IdentityCreated,
                ["modified"] = IdentityCreated,
                ["name"] = origin.InstanceId,
                ["description"] = origin.Country.Length > 0
                    ? $"The national CIRT of {origin.Country} (Cirt instance {origin.InstanceId})."
                    : $"A national CIRT (Cirt instance {origin.InstanceId}).",
                ["identity_class"] = "organization",
                ["object_marking_refs"] = new JsonArray(TlpMarkings.IdOf(tlp)),
            });
        }

        public void Advisory(Proto.SharedAdvisory advisory)
        {
            var content = new List<string>();
            var vulnerabilities = new List<string>();
            var scores = advisory.Cves.GroupBy(c => c.CveId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key.ToUpperInvariant(), g => g.First().CvssScore);
            var cveIds = scores.Keys.Concat(advisory.Indicators.Where(i => i.Type == Proto.ObservableType.Cve).Select(i => i.Value.ToUpperInvariant())).Distinct();
            foreach (var cve in cveIds)
            {
                var vulnerability = Sdo("vulnerability", "vulnerability:" + cve);
                vulnerability["name"] = cve;
                if (scores.TryGetValue(cve, out var score))
                {
                    var band = CvssBands.Of(score);
                    vulnerability["description"] = string.Create(
                        CultureInfo.InvariantCulture, $"CVSS base score {score:0.0} ({(band == Severity.Unspecified ? "none" : band.ToString().ToLowerInvariant())}).");
                }

                vulnerability["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "cve", ["external_id"] = cve });
                if (scores.ContainsKey(cve))
                {
                    vulnerability["x_cirt_cvss_score"] = scores[cve];
                }

                vulnerabilities.Add(Add(vulnerability));
            }

            content.AddRange(vulnerabilities);
            content.AddRange(Indicators(advisory.Indicators));
            foreach (var action in advisory.RecommendedActions.Distinct(StringComparer.Ordinal))
            {
                var course = Sdo("course-of-action", "course-of-action:" + action);
                course["name"] = NameOf(action);
                course["description"] = action;
                var courseId = Add(course);
                content.Add(courseId);
                foreach (var vulnerability in vulnerabilities)
                {
                    content.Add(Relationship("mitigates", courseId, vulnerability));
                }
            }

            var report = Sdo("report", "report");
            report["name"] = advisory.Title;
            report["description"] = advisory.Summary;
            report["report_types"] = new JsonArray("threat-report");
            report["published"] = advisory.PublishedAt is null ? _modified : StixTime.Format(advisory.PublishedAt.ToDateTimeOffset());
            report["object_refs"] = Ids(content.Count > 0 ? content : [_identityId]);
            report["external_references"] = new JsonArray(new JsonObject { ["source_name"] = _origin.InstanceId, ["external_id"] = _origin.ItemId });
            if (advisory.AffectedProducts.Count > 0)
            {
                report["x_cirt_affected_products"] = new JsonArray(advisory.AffectedProducts.Select(p => (JsonNode)p!).ToArray());
            }

            Add(report);
        }

        public void Incident(Proto.SharedIncident incident)
        {
            var status = CommonMapping.ToDomain(incident.Status);
            var core = new JsonObject
            {
                ["extension_type"] = "property-extension",
                ["determination"] = Determination(status),
                ["investigation_status"] = InvestigationStatus(status),
            };
            if (Criticality(CommonMapping.ToDomain(incident.Severity)) is { } criticality)
            {
                core["criticality"] = criticality;
            }

            var sdo = Sdo("incident", "incident");
            sdo["name"] = incident.Title;
            sdo["description"] = Description(incident, status);
            if (incident.RsitClass.Length > 0)
            {
                // The RSIT as MISP writes its taxonomy tags, e.g. rsit:intrusions="system-compromise".
                sdo["labels"] = new JsonArray(incident.RsitType.Length > 0 ? $"rsit:{incident.RsitClass}=\"{incident.RsitType}\"" : $"rsit:{incident.RsitClass}");
            }

            sdo["external_references"] = new JsonArray(new JsonObject { ["source_name"] = _origin.InstanceId, ["external_id"] = _origin.ItemId });
            sdo["extensions"] = new JsonObject { [IncidentCoreExtension] = core };
            var incidentId = Add(sdo);

            var content = new List<string> { incidentId };
            foreach (var indicator in Indicators(incident.Indicators))
            {
                content.Add(indicator);
                content.Add(Relationship("related-to", indicator, incidentId));
            }

            var report = Sdo("report", "report");
            report["name"] = incident.Title;
            report["description"] = $"The incident \"{incident.Title}\" and its indicators, as {_origin.InstanceId} shares them.";
            report["report_types"] = new JsonArray("threat-report");
            report["published"] = _modified;
            report["object_refs"] = Ids(content);
            Add(report);
        }

        public string ToJson() => new JsonObject
        {
            ["type"] = "bundle",
            ["id"] = StixIds.Derive("bundle", _origin.InstanceId, _origin.ItemId, $"bundle:{_origin.ItemVersion}:{_modified}:{_tlp}"),
            ["objects"] = new JsonArray(_objects.Select(o => (JsonNode)o).ToArray()),
        }.ToJsonString(Json);

        /// <summary>One indicator per observable STIX patterns can express (CVE ids are vulnerabilities); their ids.</summary>
        private List<string> Indicators(IEnumerable<Proto.Observable> observables)
        {
            var ids = new List<string>();
            foreach (var o in observables)
            {
                var observable = new Observable((ObservableType)(int)o.Type, o.Value, o.Comment);
                if (StixPatterns.For(observable) is not { } pattern)
                {
                    continue;
                }

                var indicator = Sdo("indicator", $"indicator:{observable.Type}:{observable.Value}");
                indicator["name"] = NameOf(observable.Value);
                if (observable.Comment.Length > 0)
                {
                    indicator["description"] = observable.Comment;
                }

                indicator["pattern"] = pattern;
                indicator["pattern_type"] = "stix";
                indicator["pattern_version"] = "2.1";
                indicator["valid_from"] = _created;
                if (!_ids.Contains((string)indicator["id"]!))
                {
                    ids.Add(Add(indicator));
                }
            }

            return ids;
        }

        private string Relationship(string type, string source, string target)
        {
            var relationship = Sdo("relationship", $"relationship:{type}:{source}:{target}");
            relationship["relationship_type"] = type;
            relationship["source_ref"] = source;
            relationship["target_ref"] = target;
            return Add(relationship);
        }

        /// <summary>The common properties of an object of this item: the same id for the same key in every version.</summary>
        private JsonObject Sdo(string type, string key) => new()
        {
            ["type"] = type,
            ["spec_version"] = "2.1",
            ["id"] = StixIds.Derive(type, _origin.InstanceId, _origin.ItemId, key),
            ["created"] = _created,
            ["modified"] = _modified,
            ["created_by_ref"] = _identityId,
            ["object_marking_refs"] = new JsonArray(TlpMarkings.IdOf(_tlp)),
        };

        private string Add(JsonObject o)
        {
            // object_marking_refs last, where readers of a raw bundle expect it.
            var markings = o["object_marking_refs"];
            o.Remove("object_marking_refs");
            o["object_marking_refs"] = markings;
            _objects.Add(o);
            _ids.Add((string)o["id"]!);
            return (string)o["id"]!;
        }

        private static JsonArray Ids(IEnumerable<string> ids) => new(ids.Select(i => (JsonNode)i!).ToArray());

        private static string NameOf(string text)
        {
            var line = text.Split('\n')[0].Trim();
            return line.Length <= NameLength ? (line.Length > 0 ? line : text.Trim()) : line[..(NameLength - 1)] + "…";
        }

        private static string Description(Proto.SharedIncident incident, IncidentStatus status)
        {
            var text = new StringBuilder();
            if (incident.RsitClass.Length > 0)
            {
                text.Append("Classification (RSIT): ").Append(incident.RsitClass);
                if (incident.RsitType.Length > 0)
                {
                    text.Append(" / ").Append(incident.RsitType);
                }

                text.Append('\n');
            }

            var severity = CommonMapping.ToDomain(incident.Severity);
            if (severity != Severity.Unspecified)
            {
                text.Append("Severity: ").Append(severity.ToString().ToLowerInvariant()).Append('\n');
            }

            text.Append("Status: ").Append(status.ToString().ToLowerInvariant()).Append('\n');
            if (incident.Sectors.Count > 0)
            {
                text.Append("Sectors: ").AppendJoin(", ", incident.Sectors).Append('\n');
            }

            if (incident.ReportedAt is not null)
            {
                text.Append("Reported: ").Append(StixTime.Format(incident.ReportedAt.ToDateTimeOffset())).Append('\n');
            }

            if (incident.Timeline.Count > 0)
            {
                text.Append("Timeline:\n");
                foreach (var entry in incident.Timeline)
                {
                    text.Append("- ").Append(entry.At is null ? "" : StixTime.Format(entry.At.ToDateTimeOffset()) + " ").Append(entry.Text).Append('\n');
                }
            }

            return text.ToString().TrimEnd('\n');
        }

        /// <summary>incident-determination-enum: confirmed once the CIRT responds, false-positive when rejected, suspected before.</summary>
        private static string Determination(IncidentStatus status) => status switch
        {
            IncidentStatus.Rejected => "false-positive",
            IncidentStatus.Responding or IncidentStatus.Recovering or IncidentStatus.Resolved or IncidentStatus.Closed => "successful-attempt",
            _ => "suspected",
        };

        /// <summary>incident-investigation-ov: new until triaged, closed once resolved, rejected or a duplicate.</summary>
        private static string InvestigationStatus(IncidentStatus status) => status switch
        {
            IncidentStatus.Reported => "new",
            IncidentStatus.Resolved or IncidentStatus.Closed or IncidentStatus.Rejected or IncidentStatus.Duplicate => "closed",
            _ => "open",
        };

        /// <summary>Criticality 0 to 100 from our severity, by the extension's five-level qualitative table.</summary>
        private static int? Criticality(Severity severity) => severity switch
        {
            Severity.Low => 15,
            Severity.Medium => 40,
            Severity.High => 70,
            Severity.Critical => 95,
            _ => null,
        };
    }
}
