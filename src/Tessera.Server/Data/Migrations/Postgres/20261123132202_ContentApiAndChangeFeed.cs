using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tessera.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContentApiAndChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "content_api_plugins",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StackId = table.Column<int>(type: "integer", nullable: false),
                    PluginId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FilterId = table.Column<int>(type: "integer", nullable: true),
                    AllowedDomains = table.Column<List<string>>(type: "text[]", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_content_api_plugins", x => x.Id);
                    table.ForeignKey(
                        name: "FK_content_api_plugins_filters_FilterId",
                        column: x => x.FilterId,
                        principalTable: "filters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_content_api_plugins_stacks_StackId",
                        column: x => x.StackId,
                        principalTable: "stacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tile_changes",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StackId = table.Column<int>(type: "integer", nullable: false),
                    TxId = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "(pg_current_xact_id()::text::bigint)"),
                    ObjectId = table.Column<string>(type: "character(24)", fixedLength: true, maxLength: 24, nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tile_changes", x => x.Seq);
                });

            migrationBuilder.CreateIndex(
                name: "IX_content_api_plugins_FilterId",
                table: "content_api_plugins",
                column: "FilterId");

            migrationBuilder.CreateIndex(
                name: "IX_content_api_plugins_PluginId",
                table: "content_api_plugins",
                column: "PluginId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_content_api_plugins_StackId",
                table: "content_api_plugins",
                column: "StackId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tile_changes_StackId_TxId_Seq",
                table: "tile_changes",
                columns: new[] { "StackId", "TxId", "Seq" });

            // Tiles published before the log existed: the feed's beginning holds them, oldest first.
            migrationBuilder.Sql(
                """
                INSERT INTO "tile_changes" ("StackId", "ObjectId", "Kind", "At")
                SELECT "StackId", "ObjectId", 1, "UpdatedAt" FROM "tiles" WHERE "Status" = 1 ORDER BY "Seq";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "content_api_plugins");

            migrationBuilder.DropTable(
                name: "tile_changes");
        }
    }
}
