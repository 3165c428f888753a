// tsql-check: parses T-SQL (as compiled by Kysely's MssqlQueryCompiler) with Microsoft's
// ScriptDom parser, and refuses column data types we do not want in our schema.
//
// Usage:  dotnet ScriptDomCheck.dll <entries.json | ->
// Input:  a JSON array of { "source": "...", "sql": "...", "kind": "ddl" | "query" }.
// Exit:   0 clean, 1 at least one problem found, 2 bad input, 3 internal error.
//
// Why ScriptDom: it is the parser SQL Server tooling itself uses, so it catches syntax
// errors without needing a database, and its AST lets us inspect column types exactly.

using System.Text;
using System.Text.Json;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ScriptDomCheck;

internal static class Program
{
    private const int ExitClean = 0;
    private const int ExitProblems = 1;
    private const int ExitBadInput = 2;
    private const int ExitInternalError = 3;

    private static int Main(string[] args)
    {
        // Output is read by people and by CI logs; keep it UTF-8 regardless of locale.
        Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: ScriptDomCheck <entries.json | ->");
            Console.Error.WriteLine("  entries.json: a JSON array of { \"source\", \"sql\", \"kind\": \"ddl\" | \"query\" }");
            return ExitBadInput;
        }

        IReadOnlyList<SqlEntry> entries;
        try
        {
            entries = InputLoader.Load(args[0]);
        }
        catch (BadInputException e)
        {
            Console.Error.WriteLine($"tsql-check: bad input: {e.Message}");
            return ExitBadInput;
        }

        try
        {
            var checker = new EntryChecker();
            var problemCount = 0;
            foreach (var entry in entries)
            {
                var findings = checker.Check(entry);
                problemCount += findings.Count;
                Report.PrintEntryFindings(entry, findings);
            }

            // One entry is one compiled statement: Kysely compiles each query/builder call
            // to a single statement, so "statements" counts the entries checked.
            Console.WriteLine($"tsql-check: {entries.Count} statements parsed, {problemCount} errors");
            return problemCount == 0 ? ExitClean : ExitProblems;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"tsql-check: internal error: {e}");
            return ExitInternalError;
        }
    }
}

internal enum EntryKind { Ddl, Query }

/// <summary>One piece of SQL to check, and where it came from (for the report).</summary>
internal sealed record SqlEntry(string Source, string Sql, EntryKind Kind);

/// <summary>One problem found in an entry. Line/column are 1-based, relative to the entry's SQL.</summary>
internal sealed record Finding(string Category, int Line, int Column, string Message);

internal sealed class BadInputException(string message) : Exception(message);

/// <summary>
/// Reads and validates the JSON input. Validation is strict and explicit (rather than plain
/// deserialization) so that a broken extractor fails loudly with exit code 2 and says which
/// entry is wrong, instead of silently checking nothing.
/// </summary>
internal static class InputLoader
{
    public static IReadOnlyList<SqlEntry> Load(string pathOrDash)
    {
        string json;
        try
        {
            json = pathOrDash == "-"
                ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8).ReadToEnd()
                : File.ReadAllText(pathOrDash, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read '{pathOrDash}': {e.Message}");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"not valid JSON: {e.Message}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new BadInputException("the top-level JSON value must be an array of entries");

            var entries = new List<SqlEntry>();
            var index = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                entries.Add(ReadEntry(element, index));
                index++;
            }
            return entries;
        }
    }

    private static SqlEntry ReadEntry(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new BadInputException($"entry #{index} is not an object");

        var source = RequiredString(element, "source", index);
        var sql = RequiredString(element, "sql", index);
        var kindText = RequiredString(element, "kind", index);

        if (string.IsNullOrWhiteSpace(sql))
            throw new BadInputException($"entry #{index} ({source}): \"sql\" is empty");

        var kind = kindText switch
        {
            "ddl" => EntryKind.Ddl,
            "query" => EntryKind.Query,
            _ => throw new BadInputException(
                $"entry #{index} ({source}): \"kind\" must be \"ddl\" or \"query\", got \"{kindText}\""),
        };
        return new SqlEntry(source, sql, kind);
    }

    private static string RequiredString(JsonElement element, string name, int index)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            throw new BadInputException($"entry #{index}: \"{name}\" must be a string");
        return value.GetString()!;
    }
}

/// <summary>Parses one entry and, for DDL, runs the column type policy over its AST.</summary>
internal sealed class EntryChecker
{
    // TSql170Parser = SQL Server 2025 / Azure SQL Database compatibility level 170, the newest
    // released engine. The package also ships TSql180Parser, but that targets an engine version
    // that is not released yet: checking against it could accept syntax Azure SQL rejects.
    // initialQuotedIdentifiers: true because Kysely quotes identifiers with "double quotes".
    private readonly TSqlParser _parser = new TSql170Parser(initialQuotedIdentifiers: true);

    public IReadOnlyList<Finding> Check(SqlEntry entry)
    {
        TSqlFragment fragment;
        IList<ParseError> errors;
        using (var reader = new StringReader(entry.Sql))
        {
            fragment = _parser.Parse(reader, out errors);
        }

        if (errors.Count > 0)
        {
            // A partial AST after a syntax error would only produce confusing follow-up findings.
            return errors.Select(e => new Finding("parse", e.Line, e.Column, e.Message)).ToList();
        }

        // Queries may legitimately CAST to any type (e.g. datetime for a legacy API), so the
        // type policy applies to schema definitions only.
        if (entry.Kind != EntryKind.Ddl)
            return [];

        var visitor = new ColumnTypeVisitor();
        fragment.Accept(visitor);
        return visitor.Findings;
    }
}

/// <summary>
/// Finds every place where DDL gives a column a data type and asks <see cref="ColumnTypePolicy"/>
/// about it. Visiting <see cref="ColumnDefinition"/> covers CREATE TABLE, ALTER TABLE ADD and
/// table types alike; ALTER TABLE ALTER COLUMN has no ColumnDefinition, so it is visited too.
/// </summary>
internal sealed class ColumnTypeVisitor : TSqlFragmentVisitor
{
    public List<Finding> Findings { get; } = [];

    public override void Visit(ColumnDefinition node)
    {
        // Computed columns ("c AS a + b") have no declared type.
        if (node.DataType is not null)
            CheckType(node.ColumnIdentifier, node.DataType);
    }

    public override void Visit(AlterTableAlterColumnStatement node)
    {
        // ALTER COLUMN without a type (e.g. ADD/DROP ROWGUIDCOL) changes no type.
        if (node.DataType is not null)
            CheckType(node.ColumnIdentifier, node.DataType);
    }

    private void CheckType(Identifier column, DataTypeReference dataType)
    {
        var refusal = ColumnTypePolicy.Refusal(dataType);
        if (refusal is null)
            return;

        Findings.Add(new Finding(
            "type",
            dataType.StartLine,
            dataType.StartColumn,
            $"column \"{column.Value}\" has type '{SqlText.Of(dataType)}': {refusal}"));
    }
}

/// <summary>
/// The allow-list of column types. Anything not explicitly allowed is refused, so a new or
/// misspelled type (e.g. "boolean", which T-SQL reads as a user-defined type name) fails.
/// </summary>
internal static class ColumnTypePolicy
{
    // Said for every type that has no specific advice, e.g. xml, real, binary(n), time.
    private const string NotAllowed =
        "not on the allow-list (ColumnTypePolicy in tools/tsql-check/ScriptDomCheck/Program.cs)";

    /// <returns>null when the type is allowed, otherwise why it is refused.</returns>
    public static string? Refusal(DataTypeReference dataType) => dataType switch
    {
        SqlDataTypeReference sql => RefusalForBuiltIn(sql),
        UserDataTypeReference user => RefusalForUserType(user),
        _ => NotAllowed,
    };

    private static string? RefusalForBuiltIn(SqlDataTypeReference type)
    {
        // Length/precision arguments, e.g. (320), (max) or (19, 4); empty when none were written.
        var parameters = type.Parameters;

        switch (type.SqlDataTypeOption)
        {
            case SqlDataTypeOption.Int:
            case SqlDataTypeOption.BigInt:
            case SqlDataTypeOption.SmallInt:
            case SqlDataTypeOption.TinyInt:
            case SqlDataTypeOption.Bit:
            case SqlDataTypeOption.Float:
            case SqlDataTypeOption.DateTime2:
            case SqlDataTypeOption.DateTimeOffset:
            case SqlDataTypeOption.Date:
            case SqlDataTypeOption.UniqueIdentifier:
                return null;

            case SqlDataTypeOption.Decimal:
            case SqlDataTypeOption.Numeric:
                // Without a precision SQL Server silently uses (18, 0), which drops fractions.
                return parameters.Count == 0 ? "needs an explicit precision, e.g. decimal(19, 4)" : null;

            case SqlDataTypeOption.NVarChar:
            case SqlDataTypeOption.VarChar:
            case SqlDataTypeOption.VarBinary:
                // Without a length SQL Server uses 1 in a column definition: values get truncated.
                return parameters.Count == 0
                    ? "needs an explicit length, e.g. (320) or (max); without one SQL Server uses length 1"
                    : null;

            case SqlDataTypeOption.NChar:
            case SqlDataTypeOption.Char:
                // char(max)/nchar(max) need no rule here: the parser already rejects them.
                return parameters.Count == 0
                    ? "needs an explicit length, e.g. (2); without one SQL Server uses length 1"
                    : null;

            case SqlDataTypeOption.Text:
            case SqlDataTypeOption.NText:
                return "deprecated; use nvarchar(max) or varchar(max)";
            case SqlDataTypeOption.Image:
                return "deprecated; use varbinary(max)";
            case SqlDataTypeOption.Timestamp:
            case SqlDataTypeOption.Rowversion:
                return "timestamp/rowversion is a row version counter, not a date/time; use datetime2 " +
                       "(or ask for an exception if optimistic concurrency really needs rowversion)";
            case SqlDataTypeOption.DateTime:
            case SqlDataTypeOption.SmallDateTime:
                return "use datetime2 (more precision, wider range, standard-conformant)";
            case SqlDataTypeOption.Money:
            case SqlDataTypeOption.SmallMoney:
                return "use decimal(19, 4): money rounds in multiplication/division";

            default:
                return NotAllowed;
        }
    }

    private static string RefusalForUserType(UserDataTypeReference type)
    {
        var name = type.Name.BaseIdentifier.Value;
        return name.Equals("boolean", StringComparison.OrdinalIgnoreCase) ||
               name.Equals("bool", StringComparison.OrdinalIgnoreCase)
            ? "'boolean' is not a T-SQL type; use bit"
            : $"unknown type name '{name}'; " + NotAllowed;
    }
}

/// <summary>Recovers the original source text of a fragment, for messages.</summary>
internal static class SqlText
{
    public static string Of(TSqlFragment fragment)
    {
        var builder = new StringBuilder();
        for (var i = fragment.FirstTokenIndex; i <= fragment.LastTokenIndex; i++)
            builder.Append(fragment.ScriptTokenStream[i].Text);
        return builder.ToString();
    }
}

/// <summary>Prints findings: one summary line per finding, then the entry's SQL once.</summary>
internal static class Report
{
    public static void PrintEntryFindings(SqlEntry entry, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
            return;

        foreach (var f in findings)
            Console.WriteLine($"ERROR [{f.Category}] {entry.Source} (line {f.Line}, col {f.Column}): {f.Message}");

        // Line numbers make the line/col above easy to find; '>' marks the lines with a finding.
        var flagged = findings.Select(f => f.Line).ToHashSet();
        var lines = entry.Sql.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = flagged.Contains(i + 1) ? '>' : ' ';
            Console.WriteLine($"    {marker}{i + 1,4} | {lines[i]}");
        }
        Console.WriteLine();
    }
}
