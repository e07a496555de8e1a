"""A picture of who stands against whom: a claimstance network (graphml) drawn with networkx.

    python examples/network_picture.py network.graphml network.png

Edges: red where a speaker's statements about a party are more often against than favor, green
the reverse; thicker for more statements. Only the speakers and parties in three or more such
edges are drawn. The tutorial (docs/tutorial.md) makes docs/img/tutorial-network.png with it.
"""

import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx

source, target = (sys.argv[1:3] + ["network.graphml", "network.png"][len(sys.argv[1:3]):])[:2]
graph = nx.read_graphml(source)
against = nx.DiGraph((u, v, d) for u, v, d in graph.edges(data=True) if d["against"] > d["favor"])
favor = nx.DiGraph((u, v, d) for u, v, d in graph.edges(data=True) if d["favor"] > d["against"])
shown = nx.compose(against, favor)
keep = [n for n in shown if shown.degree(n) >= 3]           # speakers and parties in three or more clear stances
shown = shown.subgraph(keep)
colours = {"person": "#f2c14e", "country": "#5b8def", "organisation": "#7bc47f"}
pos = nx.spring_layout(shown, seed=1, k=0.9)
plt.figure(figsize=(11, 8))
nx.draw_networkx_nodes(shown, pos, node_size=500,
                       node_color=[colours.get(graph.nodes[n].get("type"), "#bbbbbb") for n in shown])
nx.draw_networkx_labels(shown, pos, font_size=8)
for edges, colour in ((against, "#c0392b"), (favor, "#27ae60")):
    es = [(u, v) for u, v in edges.edges if u in shown and v in shown]
    nx.draw_networkx_edges(shown, pos, edgelist=es, edge_color=colour, arrows=True, arrowsize=12,
                           width=[1 + edges[u][v]["count"] for u, v in es], connectionstyle="arc3,rad=0.1")
plt.title("Who stands against whom (red) and with whom (green), 14 sample articles\n(blue: country, green: organisation, yellow: person, grey: a speaker that is no party)")
plt.axis("off")
plt.tight_layout()
plt.savefig(target, dpi=80)
print(shown.number_of_nodes(), "nodes,", shown.number_of_edges(), "edges")
