package io.tokencast.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the repository's references to its own documentation true: every citation in code comments, messages
 * and READMEs names a file under {@code docs/} that exists and a numbered section heading it has, and nothing
 * points at documents outside the repository. Lives in {@code schemas} because every reactor build runs it.
 */
class DocumentationCitationsTest {

    private static final String SECTION = "\u00a7";

    /** A path under docs/, also as {@code ../docs/…} from a module; group 1 the file inside docs/. */
    private static final String DOCS_FILE = "(?<![\\w./-])(?:\\.\\./)*docs/([\\w.-]+(?:/[\\w.-]+)*\\.md)";

    /** The sections after the file, as in docs/wechat-api.md §1–§6; group 2 of {@link #CITATION}. */
    private static final String SECTIONS = "((?:\\s*[,\u2013-]?\\s*" + SECTION + "\\d+(?:\\.\\d+)*)*)";

    /** A citation such as {@code docs/design.md §4.5}. */
    private static final Pattern CITATION = Pattern.compile(DOCS_FILE + SECTIONS);

    private static final Pattern SECTION_NUMBER = Pattern.compile(SECTION + "(\\d+(?:\\.\\d+)*)");

    /** A numbered heading: {@code ## 3. Contract} or {@code ### 3.2 Kafka topics}. */
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(\\d+(?:\\.\\d+)*)\\.?\\s");

    /** The design and the WeChat facts named without their place in the repository. */
    private static final Pattern BARE_NAME = Pattern.compile("(?<![\\w./-])(?:DESIGN|wechat-api|STYLE)\\.md");

    private static final Pattern OUTSIDE = Pattern.compile("(?:\\.\\.|/work)/" + "shared\\b");

    /** A relative Markdown link to a Markdown file, optionally with section numbers in its text. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s#:]+\\.md)(?:#[^)]*)?\\)");

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", "node_modules", ".idea", ".mvn");

    private static final Set<String> EXTENSIONS =
            Set.of("java", "md", "xml", "yml", "yaml", "properties", "json", "sh", "txt", "js", "mjs", "ts", "html");

    private static final Set<String> SCRIPTS = Set.of("Dockerfile", "run-demo", "run-benchmarks", "run");

    private static final Path ROOT = repositoryRoot();

    private final Map<Path, Set<String>> headings = new HashMap<>();

    @Test
    void everyCitedDocsFileExistsWithTheCitedSections() {
        List<String> problems = new ArrayList<>();
        for (Path file : scannedFiles()) {
            Matcher citation = CITATION.matcher(joinedLines(file));
            while (citation.find()) {
                Path cited = ROOT.resolve("docs").resolve(citation.group(1)).normalize();
                problems.addAll(missing(file, cited, citation.group(0), citation.group(2)));
            }
        }
        assertThat(problems)
                .as("citations of docs/ that do not resolve; fix the citation or add the file or heading")
                .isEmpty();
    }

    @Test
    void codeAndReadmesCiteDocumentsByTheirPlaceUnderDocs() {
        List<String> problems = new ArrayList<>();
        for (Path file : scannedFiles()) {
            if (file.startsWith(ROOT.resolve("docs"))) {
                continue; // docs link to each other relatively; checked below
            }
            String text = joinedLines(file);
            Matcher bare = BARE_NAME.matcher(text);
            while (bare.find()) {
                problems.add(where(file) + ": '" + bare.group() + "' is not in the repository; cite docs/design.md or"
                        + " docs/wechat-api.md with a section");
            }
            String uncited = CITATION.matcher(text).replaceAll(" ");
            int sign = uncited.indexOf(SECTION);
            if (sign >= 0) {
                problems.add(where(file) + ": a section sign without the document it belongs to, near '"
                        + excerpt(uncited, sign) + "'; write e.g. docs/wechat-api.md " + SECTION + "1.2");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void nothingPointsAtTheSharedFolderOutsideTheRepository() {
        List<String> problems = new ArrayList<>();
        for (Path file : scannedFiles()) {
            String text = read(file);
            Matcher outside = OUTSIDE.matcher(text);
            if (outside.find()) {
                problems.add(where(file) + ": refers to a folder outside the repository, near '"
                        + excerpt(text, outside.start()) + "'; copy what is needed into the repository");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void relativeMarkdownLinksResolveWithTheirSections() {
        List<String> problems = new ArrayList<>();
        for (Path file : scannedFiles()) {
            if (!file.getFileName().toString().endsWith(".md")) {
                continue;
            }
            Matcher link = MARKDOWN_LINK.matcher(joinedLines(file));
            while (link.find()) {
                Path target = file.getParent().resolve(link.group(2)).normalize();
                problems.addAll(missing(file, target, link.group(0), link.group(1)));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theDocumentsCodeCitesAreThere() {
        for (String name : List.of("docs/design.md", "docs/wechat-api.md", "docs/operations.md", "docs/security.md")) {
            assertThat(ROOT.resolve(name)).isRegularFile();
        }
    }

    private List<String> missing(Path citing, Path cited, String citation, String sections) {
        if (!cited.startsWith(ROOT) || !Files.isRegularFile(cited)) {
            return List.of(where(citing) + ": '" + citation.strip() + "' names a file that does not exist");
        }
        List<String> problems = new ArrayList<>();
        Set<String> present = headings.computeIfAbsent(cited, DocumentationCitationsTest::numberedHeadings);
        Matcher number = SECTION_NUMBER.matcher(sections);
        while (number.find()) {
            if (!present.contains(number.group(1))) {
                problems.add(where(citing) + ": '" + citation.strip() + "' cites " + SECTION + number.group(1)
                        + ", which " + ROOT.relativize(cited) + " has no heading for");
            }
        }
        return problems;
    }

    private static Set<String> numberedHeadings(Path document) {
        Set<String> numbers = new HashSet<>();
        Matcher heading = HEADING.matcher(read(document));
        while (heading.find()) {
            numbers.add(heading.group(1));
        }
        return numbers;
    }

    private static List<Path> scannedFiles() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(DocumentationCitationsTest::scanned).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the repository at " + ROOT, e);
        }
    }

    private static boolean scanned(Path file) {
        Path relative = ROOT.relativize(file);
        for (Path part : relative) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return false;
            }
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        boolean text = SCRIPTS.contains(name) || (dot > 0 && EXTENSIONS.contains(name.substring(dot + 1)));
        return text && Files.isRegularFile(file);
    }

    /** The file with comment continuations joined, so a citation broken over two comment lines is one. */
    private static String joinedLines(Path file) {
        return read(file).replaceAll("\\R[ \\t]*(?:\\*(?!/)|//+|#+)?[ \\t]*", " ");
    }

    private static String read(Path file) {
        try {
            // Lenient decoding: a stray non-UTF-8 byte in some resource must not hide the citations around it.
            return new String(Files.readAllBytes(file), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String where(Path file) {
        return ROOT.relativize(file).toString();
    }

    private static String excerpt(String text, int at) {
        return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40))
                .strip();
    }

    /** The directory holding {@code docs/} and the parent pom: the module's parent when run by Maven. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a directory with docs/ and mvnw) above "
                + Path.of("").toAbsolutePath());
    }
}
