package io.tokencast.refresher.service.openplatform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads WeChat's flat {@code <xml><Name>value</Name>…</xml>} messages with a parser that refuses any
 * DOCTYPE, so no entity (internal or external) is ever expanded: XXE and billion-laughs payloads are
 * malformed here, not dangerous.
 */
final class CallbackXml {

    /** Why a body could not be read. */
    enum Problem {
        MALFORMED,
        DOCTYPE
    }

    /** The body is not a WeChat message. */
    static final class UnreadableXml extends Exception {
        private final Problem problem;

        UnreadableXml(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }

    private static final DocumentBuilderFactory FACTORY = hardenedFactory();

    private CallbackXml() {}

    /** The text of each child element of the root, by element name. */
    static Map<String, String> parse(byte[] xml) throws UnreadableXml {
        // A cheap pre-check names the attack in the metrics; the parser would refuse it anyway.
        String head = new String(xml, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
        if (head.contains("<!DOCTYPE") || head.contains("<!ENTITY")) {
            throw new UnreadableXml(Problem.DOCTYPE, "a DOCTYPE or entity declaration is not allowed");
        }
        Element root;
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            // The default handler prints parse errors to stderr; they are reported through the exception instead.
            builder.setErrorHandler(new DefaultHandler());
            root = builder.parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new UnreadableXml(Problem.MALFORMED, "the body is not well-formed XML");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required security feature", e);
        }
        Map<String, String> fields = new HashMap<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child.getNodeType() == Node.ELEMENT_NODE) {
                fields.putIfAbsent(child.getNodeName(), child.getTextContent().strip());
            }
        }
        return fields;
    }

    private static DocumentBuilderFactory hardenedFactory() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            return factory;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required security feature", e);
        }
    }
}
