using System.Text.Json.Nodes;
using Tessera.Server.Compat;

namespace Tessera.Tests.Compat;

/// <summary>FieldReader's JSON-valued fields: any shape as sent (<see cref="FieldReader.Value"/>), bounded in size and depth.</summary>
public sealed class FieldReaderJsonTests
{
    private static FieldReader Reader(string json) =>
        new(ApiParameters.FromQuery(JsonNode.Parse(json)!.AsObject()), ApiResource.Widgets);

    [Fact]
    public void A_value_comes_back_as_sent_whatever_its_shape()
    {
        var f = Reader("""{"s":"text","b":true,"n":1.5,"o":{"a":[1,{"b":null}]},"z":null}""");
        Assert.Equal("\"text\"", f.Value("s")!.ToJsonString());
        Assert.Equal("true", f.Value("b")!.ToJsonString());
        Assert.Equal("1.5", f.Value("n")!.ToJsonString());
        Assert.Equal("""{"a":[1,{"b":null}]}""", f.Value("o")!.ToJsonString());
        Assert.Null(f.Value("z"));
        Assert.Null(f.Value("absent"));
        Assert.False(f.HasErrors);
    }

    [Fact]
    public void A_value_is_a_copy_so_changing_it_leaves_the_parameters_alone()
    {
        var f = Reader("""{"o":{"a":1}}""");
        f.Value("o")!.AsObject()["a"] = 2;
        Assert.Equal("""{"a":1}""", f.Value("o")!.ToJsonString());
    }

    [Fact]
    public void Values_and_objects_deeper_or_larger_than_allowed_are_errors_naming_the_field()
    {
        var f = Reader("""{"deep":{"a":{"b":{"c":1}}},"big":{"a":"0123456789"},"ok":{"a":{"b":1}}}""");
        Assert.Null(f.Value("deep", maxDepth: 2));
        Assert.Null(f.Object("big", maxBytes: 10));
        Assert.NotNull(f.Object("ok", maxDepth: 2));
        Assert.Equal(["deep: is nested more than 2 levels deep", "big: is larger than 10 bytes"], f.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("1", 0)]
    [InlineData("{}", 1)]
    [InlineData("[]", 1)]
    [InlineData("""{"a":[1,2]}""", 2)]
    [InlineData("""[{"a":{"b":[]}},1]""", 4)]
    public void Depth_counts_nested_objects_and_arrays(string json, int depth) =>
        Assert.Equal(depth, FieldReader.Depth(JsonNode.Parse(json)));
}
