using ControlPanel.Engine.Registry.Toml;

namespace ControlPanel.Engine.Tests.Registry;

public class TomlParserTests
{
    [Fact]
    public void Tables_keys_and_values_of_the_supported_forms_are_read()
    {
        var doc = TomlDocument.Parse("""
            title = "a \"quoted\" \u00e9 title"   # comment
            path = 'C:\no\escapes'
            multi = \"\"\"
            line one \
              still one\"\"\"
            raw = '''
            keep \n as is'''
            int = -1_000
            hex = 0xff
            flag = true
            ratio = 6.5e-1
            when = 1979-05-27 07:32:00Z
            list = [ 1, 2,
              3, # numbers
            ]
            inline = { a = 1, "b.c" = [true] }
            dotted.key = "v"

            [plugins."io.containerd.grpc.v1.cri" . registry]
              config_path = ""

            [[array.of.tables]]
              n = 1
            [[array.of.tables]]
              n = 2
            """.Replace("\\\"\\\"\\\"", "\"\"\""));
        Assert.Equal("a \"quoted\" é title", doc.Get("title")!.String);
        Assert.Equal(@"C:\no\escapes", doc.Get("path")!.String);
        Assert.Equal("line one still one", doc.Get("multi")!.String);
        Assert.Equal("keep \\n as is", doc.Get("raw")!.String);
        Assert.Equal(-1000, doc.Get("int")!.Integer);
        Assert.Equal(255, doc.Get("hex")!.Integer);
        Assert.True(doc.Get("flag")!.Bool);
        Assert.Equal(TomlKind.Float, doc.Get("ratio")!.Kind);
        Assert.Equal(TomlKind.DateTime, doc.Get("when")!.Kind);
        Assert.Equal(3, doc.Get("list")!.Items.Count);
        Assert.Equal(TomlKind.InlineTable, doc.Get("inline")!.Kind);
        Assert.Equal("v", doc.Get("dotted", "key")!.String);
        Assert.Equal("", doc.Get("plugins", "io.containerd.grpc.v1.cri", "registry", "config_path")!.String);
        Assert.Equal(2, doc.Tables.Count(t => t.IsArray));
    }

    [Theory]
    [InlineData("a = 1\na = 2\n", "line 2, column 5: key a is defined twice")]
    [InlineData("[t]\n[t]\n", "line 2, column 4: table [t] is defined twice")]
    [InlineData("a = \"open\n", "line 1, column 10: unterminated string")]
    [InlineData("a = [1, 2\n", "line 2, column 1: expected , or ] in the array")]
    [InlineData("[t\n", "line 1, column 3: expected ] to close the table name")]
    [InlineData("a = 1 b = 2\n", "line 1, column 7: unexpected 'b': expected the end of the line")]
    [InlineData("a = \"\\q\"\n", "line 1, column 6: invalid escape \\q")]
    [InlineData("= 1\n", "line 1, column 1: unexpected character '='")]
    public void Invalid_toml_is_refused_with_line_and_column(string text, string message) =>
        Assert.Contains(message, Assert.Throws<ConfigSyntaxException>(() => TomlDocument.Parse(text)).Message);

    [Fact]
    public void Setting_a_key_in_an_existing_table_keeps_its_indentation_and_the_rest_of_the_text()
    {
        const string Text = "# top\n[a]\n    x = 1 # one\n\n[b]\n";
        var doc = TomlDocument.Parse(Text);
        Assert.Equal("# top\n[a]\n    x = 1 # one\n    y = \"new\"\n\n[b]\n", doc.Set(["a", "y"], "\"new\""));
        Assert.Equal("# top\n[a]\n    x = 2 # one\n\n[b]\n", doc.Set(["a", "x"], "2"));
        Assert.Equal("# top\n[a]\n\n[b]\n  z = true\n", doc.Set(["b", "z"], "true").Replace("    x = 1 # one\n", ""));
    }

    [Fact]
    public void A_new_table_goes_before_its_first_sub_table_and_comes_out_again()
    {
        const string Text = "version = 2\n\n  [p.r.mirrors]\n    [p.r.mirrors.\"docker.io\"]\n      endpoint = [\"x\"]\n";
        var set = TomlDocument.Parse(Text).Set(["p", "r", "config_path"], "\"/d\"");
        Assert.Equal("version = 2\n\n  [p.r]\n    config_path = \"/d\"\n\n  [p.r.mirrors]\n    [p.r.mirrors.\"docker.io\"]\n      endpoint = [\"x\"]\n", set);
        Assert.Equal(Text, TomlDocument.Parse(set).Remove(["p", "r", "config_path"]));
    }
}
