using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tessera.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TilesTermsFilters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Type",
                table: "terms",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Network",
                table: "terms",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "terms",
                type: "character varying(255)",
                maxLength: 255,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<string>(
                name: "BlacklistHandles",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "terms",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ExcludeFilter",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ExtraJson",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "FanExcludeFilter",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "FanFilter",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Filter",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "terms",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastErrorAt",
                table: "terms",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastIngestionPost",
                table: "terms",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastPolledAt",
                table: "terms",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "MinimumFollowers",
                table: "terms",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "NextPollAt",
                table: "terms",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "NumOfBackfill",
                table: "terms",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SearchExactPhrase",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SourceUserId",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<List<string>>(
                name: "Switches",
                table: "terms",
                type: "text[]",
                nullable: false,
                defaultValueSql: "\'{}\'");

            migrationBuilder.AddColumn<List<int>>(
                name: "TagIds",
                table: "terms",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "\'{}\'");

            migrationBuilder.AddColumn<string>(
                name: "WhitelistHandles",
                table: "terms",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "filters",
                type: "character varying(255)",
                maxLength: 255,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AddColumn<int>(
                name: "Enabled",
                table: "filters",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "FilterByClaimed",
                table: "filters",
                type: "text",
                nullable: false,
                defaultValue: "no");

            migrationBuilder.AddColumn<List<string>>(
                name: "Media",
                table: "filters",
                type: "text[]",
                nullable: false,
                defaultValueSql: "\'{}\'");

            migrationBuilder.AddColumn<List<string>>(
                name: "Networks",
                table: "filters",
                type: "text[]",
                nullable: false,
                defaultValueSql: "\'{}\'");

            migrationBuilder.AddColumn<int>(
                name: "Orders",
                table: "filters",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<List<int>>(
                name: "TagIds",
                table: "filters",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "\'{}\'");

            migrationBuilder.CreateTable(
                name: "tiles",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ObjectId = table.Column<string>(type: "character(24)", fixedLength: true, maxLength: 24, nullable: false),
                    StackId = table.Column<int>(type: "integer", nullable: false),
                    TermId = table.Column<int>(type: "integer", nullable: true),
                    Source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SourceId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    SourceUniqueId = table.Column<string>(type: "character varying(295)", maxLength: 295, nullable: false),
                    Guid = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    StaFeedId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Media = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true),
                    User = table.Column<string>(type: "text", nullable: true),
                    Avatar = table.Column<string>(type: "text", nullable: true),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Html = table.Column<string>(type: "text", nullable: false),
                    ShareText = table.Column<string>(type: "text", nullable: false),
                    OriginalUrl = table.Column<string>(type: "text", nullable: true),
                    ImageUrl = table.Column<string>(type: "text", nullable: true),
                    ImageWidth = table.Column<int>(type: "integer", nullable: false),
                    ImageHeight = table.Column<int>(type: "integer", nullable: false),
                    ImageSmallUrl = table.Column<string>(type: "text", nullable: true),
                    ImageSmallWidth = table.Column<int>(type: "integer", nullable: false),
                    ImageSmallHeight = table.Column<int>(type: "integer", nullable: false),
                    ImageMediumUrl = table.Column<string>(type: "text", nullable: true),
                    ImageMediumWidth = table.Column<int>(type: "integer", nullable: false),
                    ImageMediumHeight = table.Column<int>(type: "integer", nullable: false),
                    ImageLargeUrl = table.Column<string>(type: "text", nullable: true),
                    ImageLargeWidth = table.Column<int>(type: "integer", nullable: false),
                    ImageLargeHeight = table.Column<int>(type: "integer", nullable: false),
                    VideoUrl = table.Column<string>(type: "text", nullable: true),
                    WidthRatio = table.Column<string>(type: "text", nullable: true),
                    HeightRatio = table.Column<string>(type: "text", nullable: true),
                    Latitude = table.Column<string>(type: "text", nullable: true),
                    Longitude = table.Column<string>(type: "text", nullable: true),
                    Anonymous = table.Column<bool>(type: "boolean", nullable: false),
                    Claimed = table.Column<bool>(type: "boolean", nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Votes = table.Column<int>(type: "integer", nullable: false),
                    RandomKey = table.Column<int>(type: "integer", nullable: false),
                    CustomFieldsJson = table.Column<string>(type: "text", nullable: false),
                    ExternalDataJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    SourceCreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tiles", x => x.Seq);
                    table.ForeignKey(
                        name: "FK_tiles_stacks_StackId",
                        column: x => x.StackId,
                        principalTable: "stacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tile_tags",
                columns: table => new
                {
                    TileSeq = table.Column<long>(type: "bigint", nullable: false),
                    TagId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    SourceCreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tile_tags", x => new { x.TileSeq, x.TagId });
                    table.ForeignKey(
                        name: "FK_tile_tags_tags_TagId",
                        column: x => x.TagId,
                        principalTable: "tags",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_tile_tags_tiles_TileSeq",
                        column: x => x.TileSeq,
                        principalTable: "tiles",
                        principalColumn: "Seq",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_terms_Network_Active_NextPollAt",
                table: "terms",
                columns: new[] { "Network", "Active", "NextPollAt" });

            migrationBuilder.CreateIndex(
                name: "IX_tile_tags_TagId_Status_SourceCreatedAt_TileSeq",
                table: "tile_tags",
                columns: new[] { "TagId", "Status", "SourceCreatedAt", "TileSeq" });

            migrationBuilder.CreateIndex(
                name: "IX_tiles_ObjectId",
                table: "tiles",
                column: "ObjectId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_Guid",
                table: "tiles",
                columns: new[] { "StackId", "Guid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_SourceUniqueId",
                table: "tiles",
                columns: new[] { "StackId", "SourceUniqueId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_StaFeedId",
                table: "tiles",
                columns: new[] { "StackId", "StaFeedId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_Status_RandomKey_Seq",
                table: "tiles",
                columns: new[] { "StackId", "Status", "RandomKey", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_Status_Score_Seq",
                table: "tiles",
                columns: new[] { "StackId", "Status", "Score", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_Status_SourceCreatedAt_Seq",
                table: "tiles",
                columns: new[] { "StackId", "Status", "SourceCreatedAt", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_tiles_StackId_Status_Votes_Seq",
                table: "tiles",
                columns: new[] { "StackId", "Status", "Votes", "Seq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tile_tags");

            migrationBuilder.DropTable(
                name: "tiles");

            migrationBuilder.DropIndex(
                name: "IX_terms_Network_Active_NextPollAt",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "BlacklistHandles",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "ConsecutiveFailures",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "ExcludeFilter",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "ExtraJson",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "FanExcludeFilter",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "FanFilter",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "Filter",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "LastError",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "LastErrorAt",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "LastIngestionPost",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "LastPolledAt",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "MinimumFollowers",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "NextPollAt",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "NumOfBackfill",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "SearchExactPhrase",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "SourceUserId",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "Switches",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "TagIds",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "WhitelistHandles",
                table: "terms");

            migrationBuilder.DropColumn(
                name: "Enabled",
                table: "filters");

            migrationBuilder.DropColumn(
                name: "FilterByClaimed",
                table: "filters");

            migrationBuilder.DropColumn(
                name: "Media",
                table: "filters");

            migrationBuilder.DropColumn(
                name: "Networks",
                table: "filters");

            migrationBuilder.DropColumn(
                name: "Orders",
                table: "filters");

            migrationBuilder.DropColumn(
                name: "TagIds",
                table: "filters");

            migrationBuilder.AlterColumn<string>(
                name: "Type",
                table: "terms",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "Network",
                table: "terms",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "terms",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(255)",
                oldMaxLength: 255);

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "filters",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(255)",
                oldMaxLength: 255);
        }
    }
}
