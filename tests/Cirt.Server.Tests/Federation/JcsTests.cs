using System.Globalization;
using System.Text;
using Cirt.Server.Federation;

namespace Cirt.Server.Tests.Federation;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme) against the RFC's own examples: the sample object of
/// section 3.2.2, the property-sorting sample of section 3.2.3 and every row of the IEEE-754 table
/// of Appendix B; and inputs that are not I-JSON, which must be refused rather than canonicalised.
/// </summary>
public sealed class JcsTests
{
    [Fact]
    public void TheSampleObjectOfSection322CanonicalisesAsTheRfcShows()
    {
        const string parsed = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        Assert.Equal(expected, Jcs.CanonicalString(parsed));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Jcs.Canonicalize(parsed));
    }

    [Fact]
    public void TheSampleObjectOfSection322IsUtf8WithTheEuroSignAsThreeBytes()
    {
        var bytes = Jcs.Canonicalize("{\"string\":\"\\u20ac\"}");

        // {"string":"€"}: the euro sign literal as E2 82 AC, not escaped.
        Assert.Equal([0x7b, 0x22, 0x73, 0x74, 0x72, 0x69, 0x6e, 0x67, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x7d], bytes);
    }

    [Fact]
    public void MembersAreSortedByUtf16CodeUnitsAsInSection323()
    {
        const string parsed = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;
        var expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";

        Assert.Equal(expected, Jcs.CanonicalString(parsed));
    }

    [Fact]
    public void NestedObjectsAreSortedAndArraysKeepTheirOrder()
    {
        Assert.Equal("{\"a\":[3,1,{\"x\":1,\"y\":2}],\"b\":{\"c\":null,\"d\":\"\"}}", Jcs.CanonicalString("{ \"b\" : { \"d\" : \"\", \"c\" : null }, \"a\" : [ 3, 1, { \"y\" : 2, \"x\" : 1 } ] }"));
    }

    [Fact]
    public void WhitespaceInsideStringsIsKeptWhileWhitespaceBetweenTokensGoes()
    {
        // MISP's signing form strips all whitespace, even inside strings; JCS must not.
        Assert.Equal("{\"text\":\"two  spaces\\tand a tab\"}", Jcs.CanonicalString("{\n  \"text\" :\t\"two  spaces\\tand a tab\"\n}"));
    }

    [Fact]
    public void ControlCharactersUseShortFormsWhereJsonHasThemAndLowerCaseHexOtherwise()
    {
        Assert.Equal("\"\\b\\t\\n\\f\\r\\u0000\\u001f\\u000b\u007f\"", Jcs.CanonicalString("\"\\u0008\\u0009\\u000A\\u000C\\u000D\\u0000\\u001F\\u000B\\u007F\""));
    }

    [Fact]
    public void EscapedSolidusAndNonAsciiComeOutLiteral()
    {
        Assert.Equal("\"/é😀\"", Jcs.CanonicalString("\"\\/\\u00E9\\uD83D\\uDE00\""));
    }

    [Fact]
    public void ScalarsAtTheTopLevelAreCanonicalisedToo()
    {
        Assert.Equal("true", Jcs.CanonicalString(" true "));
        Assert.Equal("1e+21", Jcs.CanonicalString("1000000000000000000000"));
        Assert.Equal("[]", Jcs.CanonicalString("[ ]"));
        Assert.Equal("{}", Jcs.CanonicalString("{ }"));
    }

    /// <summary>RFC 8785 Appendix B: IEEE-754 double (hex bits) → its canonical JSON number.</summary>
    public static TheoryData<string, string> AppendixB() => new()
    {
        { "0000000000000000", "0" },
        { "8000000000000000", "0" },
        { "0000000000000001", "5e-324" },
        { "8000000000000001", "-5e-324" },
        { "7fefffffffffffff", "1.7976931348623157e+308" },
        { "ffefffffffffffff", "-1.7976931348623157e+308" },
        { "4340000000000000", "9007199254740992" },
        { "c340000000000000", "-9007199254740992" },
        { "4430000000000000", "295147905179352830000" },
        { "44b52d02c7e14af5", "9.999999999999997e+22" },
        { "44b52d02c7e14af6", "1e+23" },
        { "44b52d02c7e14af7", "1.0000000000000001e+23" },
        { "444b1ae4d6e2ef4e", "999999999999999700000" },
        { "444b1ae4d6e2ef4f", "999999999999999900000" },
        { "444b1ae4d6e2ef50", "1e+21" },
        { "3eb0c6f7a0b5ed8c", "9.999999999999997e-7" },
        { "3eb0c6f7a0b5ed8d", "0.000001" },
        { "41b3de4355555553", "333333333.3333332" },
        { "41b3de4355555554", "333333333.33333325" },
        { "41b3de4355555555", "333333333.3333333" },
        { "41b3de4355555556", "333333333.3333334" },
        { "41b3de4355555557", "333333333.33333343" },
        { "becbf647612f3696", "-0.0000033333333333333333" },
        { "43143ff3c1cb0959", "1424953923781206.2" },
    };

    [Theory]
    [MemberData(nameof(AppendixB))]
    public void EveryNumberOfAppendixBSerialisesAsTheRfcShows(string ieee754Hex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieee754Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        Assert.Equal(expected, Jcs.SerializeNumber(value));
    }

    [Theory]
    [MemberData(nameof(AppendixB))]
    public void EveryNumberOfAppendixBCanonicalisesFromJsonText(string ieee754Hex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieee754Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var asWritten = value.ToString("E20", CultureInfo.InvariantCulture);

        Assert.Equal($"[{expected}]", Jcs.CanonicalString($"[{asWritten}]"));
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    [InlineData("fff0000000000000")]
    public void NaNAndTheInfinitiesOfAppendixBAreRefused(string ieee754Hex)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(ieee754Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        Assert.Throws<FormatException>(() => Jcs.SerializeNumber(value));
    }

    [Theory]
    [InlineData("1.5e1", "15")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e10", "0")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("0.000000123", "1.23e-7")]
    [InlineData("123456789012345678901", "123456789012345680000")]
    [InlineData("1E-400", "0")]
    public void NumbersTakeTheEcmaScriptForm(string written, string expected)
    {
        Assert.Equal(expected, Jcs.CanonicalString(written));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("{\"outer\":{\"b\":true,\"b\":true}}")]
    public void DuplicateMemberNamesAreRefused(string json)
    {
        var refused = Assert.Throws<FormatException>(() => Jcs.CanonicalString(json));

        Assert.Contains("twice", refused.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("[Infinity]")]
    [InlineData("[-Infinity]")]
    [InlineData("1e400")]
    [InlineData("[-1.8e308]")]
    public void NumbersThatAreNotFiniteDoublesAreRefused(string json)
    {
        Assert.Throws<FormatException>(() => Jcs.CanonicalString(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"a\":}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1,]")]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("[01]")]
    [InlineData("[1.]")]
    [InlineData("[.5]")]
    [InlineData("[+1]")]
    [InlineData("[0x10]")]
    [InlineData("\"unterminated")]
    [InlineData("\"tab\tinside\"")]
    [InlineData("\"\\x41\"")]
    [InlineData("[1] [2]")]
    [InlineData("{} x")]
    [InlineData("/* comment */ 1")]
    [InlineData("tru")]
    [InlineData("undefined")]
    public void GarbageIsRefused(string json)
    {
        Assert.Throws<FormatException>(() => Jcs.CanonicalString(json));
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00\"")]
    [InlineData("{\"\\ud83d\":1}")]
    [InlineData("\"\\ud83d\\u0041\"")]
    public void EscapedLoneSurrogatesAreRefusedAsNotUnicode(string json)
    {
        Assert.Throws<FormatException>(() => Jcs.CanonicalString(json));
    }

    [Fact]
    public void ALiteralLoneSurrogateIsRefusedAsNotUnicode()
    {
        Assert.Throws<FormatException>(() => Jcs.CanonicalString("\"a\ud800b\""));
        Assert.Throws<FormatException>(() => Jcs.Canonicalize("[\"\udfff\"]"));
    }

    [Fact]
    public void NestingBeyondTheLimitIsRefused()
    {
        var deep = new string('[', Jcs.MaxDepth + 1) + new string(']', Jcs.MaxDepth + 1);
        var allowed = new string('[', Jcs.MaxDepth) + new string(']', Jcs.MaxDepth);

        Assert.Throws<FormatException>(() => Jcs.CanonicalString(deep));
        Assert.Equal(allowed, Jcs.CanonicalString(allowed));
    }

    [Fact]
    public void CanonicalisingTheCanonicalFormChangesNothing()
    {
        var once = Jcs.CanonicalString("{\"z\":[1E2,\"\\u00e9\\n\"],\"y\":{\"b\":-0.5e-10,\"a\":false}}");

        Assert.Equal("{\"y\":{\"a\":false,\"b\":-5e-11},\"z\":[100,\"é\\n\"]}", once);
        Assert.Equal(once, Jcs.CanonicalString(once));
    }
}
